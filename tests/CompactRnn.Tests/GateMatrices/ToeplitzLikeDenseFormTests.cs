using System;
using System.Linq;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>
/// The large-batch path of the Toeplitz-like kinds (cached dense W, GEMMs, dense gradient projected onto the
/// generators): it agrees with the FFT path to float rounding, the deferred gradient of a backward session equals
/// the complete calls, and nothing is allocated after warm-up.
/// </summary>
public sealed class ToeplitzLikeDenseFormTests
{
    public static TheoryData<bool, int, int, int> Shapes => new()
    {
        { false, 768, 96, 5 }, { false, 768, 40, 1 }, { false, 96, 768, 2 }, { false, 37, 257, 3 }, { false, 13, 13, 4 },
        { true, 768, 96, 5 }, { true, 768, 40, 1 }, { true, 40, 12, 2 }, { true, 12, 40, 3 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DenseAndFftPaths_SameCall_AgreeToFloatRounding(bool stacked, int m, int n, int rank)
    {
        const int batch = 32;
        GateMatrix fft = Create(stacked, m, n, rank, int.MaxValue), dense = Create(stacked, m, n, rank, 1);
        var fixture = new GateMatrixFixture(fft, seed: m + (3 * n) + rank);
        float[] cacheFft = Prepared(fft, fixture.Parameters), cacheDense = Prepared(dense, fixture.Parameters);
        float[] x = fixture.RandomVector(batch * n);
        float[] dy = fixture.RandomVector(batch * m);

        float[] yFft = new float[batch * m], yDense = new float[batch * m];
        fft.Forward(new GateMatrixWeights(fixture.Parameters, cacheFft), x, batch, yFft, new float[fft.WorkspaceSize(batch)]);
        dense.Forward(new GateMatrixWeights(fixture.Parameters, cacheDense), x, batch, yDense, new float[dense.WorkspaceSize(batch)]);
        AssertClose(yFft, yDense, 1e-5 * Math.Sqrt(n), "y");

        float[] dxFft = new float[batch * n], dxDense = new float[batch * n];
        float[] dThetaFft = new float[fft.ParameterCount], dThetaDense = new float[dense.ParameterCount];
        fft.Backward(new GateMatrixWeights(fixture.Parameters, cacheFft), x, dy, batch, dThetaFft, dxFft, new float[fft.WorkspaceSize(batch)]);
        dense.Backward(new GateMatrixWeights(fixture.Parameters, cacheDense), x, dy, batch, dThetaDense, dxDense, new float[dense.WorkspaceSize(batch)]);
        AssertClose(dxFft, dxDense, 1e-5 * Math.Sqrt(m), "dx");
        AssertClose(dThetaFft, dThetaDense, 1e-5 * Math.Sqrt(Math.Max(m, n)), "dθ");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Session_DeferredOverSeveralSteps_EqualsCompleteCalls(bool stacked)
    {
        const int m = 64, n = 24, batch = 5, calls = 4;
        GateMatrix matrix = Create(stacked, m, n, 3, 1);
        var fixture = new GateMatrixFixture(matrix, seed: 41);
        float[] cache = Prepared(matrix, fixture.Parameters);
        var weights = new GateMatrixWeights(fixture.Parameters, cache);
        float[] workspace = new float[matrix.WorkspaceSize(batch)];
        float[] state = new float[matrix.BackwardStateSize(batch)];
        Assert.Equal(m * n, state.Length);
        float[] complete = new float[matrix.ParameterCount], deferred = new float[matrix.ParameterCount];
        GateMatrixBackwardSession session = matrix.BeginBackward(weights, deferred, batch, state, workspace);
        for (int call = 0; call < calls; call++)
        {
            float[] x = fixture.RandomVector(batch * n), dy = fixture.RandomVector(batch * m);
            float[] dxComplete = new float[batch * n], dxDeferred = new float[batch * n];
            matrix.Backward(weights, x, dy, batch, complete, dxComplete, workspace);
            session.Step(x, dy, batch, dxDeferred);
            Assert.Equal(dxComplete, dxDeferred);
        }

        Assert.All(deferred, value => Assert.Equal(0f, value)); // nothing reaches dθ before Finish
        session.Finish();
        AssertClose(complete, deferred, 1e-5, "deferred dθ");
    }

    [Fact]
    public void Session_StepsBelowThreshold_AreCompleteCalls()
    {
        const int m = 20, n = 9, batch = 3;
        GateMatrix matrix = Create(false, m, n, 2, 8);
        var fixture = new GateMatrixFixture(matrix, seed: 2);
        float[] cache = Prepared(matrix, fixture.Parameters);
        Assert.Equal(0, matrix.BackwardStateSize(batch));
        Assert.Equal(m * n, matrix.BackwardStateSize(8));
        float[] x = fixture.RandomVector(batch * n), dy = fixture.RandomVector(batch * m);
        float[] direct = new float[matrix.ParameterCount], viaSession = new float[matrix.ParameterCount];
        float[] workspace = new float[matrix.WorkspaceSize(8)];
        matrix.Backward(new GateMatrixWeights(fixture.Parameters, cache), x, dy, batch, direct, [], workspace);
        GateMatrixBackwardSession session = matrix.BeginBackward(new GateMatrixWeights(fixture.Parameters, cache), viaSession, 8,
            new float[matrix.BackwardStateSize(8)], workspace);
        session.Step(x, dy, batch, []);
        Assert.Equal(direct, viaSession);
        session.Finish(); // projects an all-zero dense gradient: adds nothing
        Assert.Equal(direct, viaSession);
    }

    [Fact]
    public void Dense_GateMatrix_KeepsNoState()
    {
        var matrix = new DenseGateMatrix(8, 4);
        Assert.Equal(0, matrix.BackwardStateSize(1000));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DensePath_AfterWarmUp_AllocatesNothing(bool stacked)
    {
        const int m = 96, n = 32, batch = 16;
        GateMatrix matrix = Create(stacked, m, n, 3, 8);
        var fixture = new GateMatrixFixture(matrix, seed: 8);
        float[] cache = new float[matrix.CacheSize];
        float[] workspace = new float[matrix.WorkspaceSize(batch)];
        float[] state = new float[matrix.BackwardStateSize(batch)];
        float[] x = fixture.RandomVector(batch * n), dy = fixture.RandomVector(batch * m);
        float[] y = new float[batch * m], dx = new float[batch * n], dTheta = new float[matrix.ParameterCount];
        void Step()
        {
            matrix.Prepare(fixture.Parameters, cache);
            var weights = new GateMatrixWeights(fixture.Parameters, cache);
            matrix.Forward(weights, x, batch, y, workspace);
            GateMatrixBackwardSession session = matrix.BeginBackward(weights, dTheta, batch, state, workspace);
            session.Step(x, dy, batch, dx);
            session.Finish();
            matrix.Backward(weights, x, dy, batch, dTheta, dx, workspace);
        }

        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void DenseBatchThreshold_Default_FollowsMeasuredCrossovers()
    {
        Assert.Equal(1, new ToeplitzLikeGateMatrix(768, 96, 5).DenseBatchThreshold);          // h192 gate stack: dense wins at every batch
        Assert.Equal(1, new StackedToeplitzLikeGateMatrix(768, 96, 5).DenseBatchThreshold);
        Assert.InRange(new ToeplitzLikeGateMatrix(2048, 512, 4).DenseBatchThreshold, 16, 64); // 512 cells: FFT wins at small batches
        Assert.Equal(int.MaxValue, new ToeplitzLikeGateMatrix(2048, 512, 1).DenseBatchThreshold);
        Assert.Equal(0, new ToeplitzLikeGateMatrix(2048, 512, 4).BackwardStateSize(1));
    }

    [Fact]
    public void CompleteBackwardBatchThreshold_LargeRank_KeepsSingleVectorsOnTheFftPath()
    {
        // A complete Backward projects its dense gradient every call (O(r·m·n)); at r = 64 that cost 2.2 ms at
        // 512², batch 1, so single vectors must stay on the FFT path even where the forward uses the dense form.
        Assert.Equal(1, ToeplitzLikePathChoice.DenseBatchThreshold(512, 512, 512, 64, 1));
        Assert.True(ToeplitzLikePathChoice.CompleteBackwardBatchThreshold(512, 512, 512, 64, 1) > 8);
        Assert.True(ToeplitzLikePathChoice.CompleteBackwardBatchThreshold(1024, 1024, 1024, 64, 1) > 8);
        foreach ((int m, int n, int r) in new[] { (768, 96, 5), (2048, 512, 4), (512, 512, 4), (1024, 256, 16) })
        {
            int size = Math.Max(m, n);
            Assert.True(ToeplitzLikePathChoice.CompleteBackwardBatchThreshold(m, n, size, r, 1) >= ToeplitzLikePathChoice.DenseBatchThreshold(m, n, size, r, 1));
        }
    }

    internal static GateMatrix Create(bool stacked, int m, int n, int rank, int threshold)
        => stacked
            ? new StackedToeplitzLikeGateMatrix(m, n, rank) { DenseBatchThreshold = threshold }
            : new ToeplitzLikeGateMatrix(m, n, rank) { DenseBatchThreshold = threshold };

    private static float[] Prepared(GateMatrix matrix, float[] parameters)
    {
        float[] cache = new float[matrix.CacheSize];
        matrix.Prepare(parameters, cache);
        return cache;
    }

    /// <summary>|expected − actual| ≤ tolerance·max(1, max|expected|) element-wise.</summary>
    private static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
        => GateMatrixContractTests.AssertClose(expected.Select(v => (double)v).ToArray(), actual, tolerance, what);
}
