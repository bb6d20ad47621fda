using System;
using System.Linq;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>
/// The large-batch path of the Toeplitz-like kinds (cached dense W, GEMMs, dense gradient projected onto the
/// generators): it agrees with the FFT path to float rounding, the deferred gradient over several calls equals
/// the complete calls, the accumulator contract holds, and nothing is allocated after warm-up.
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
    public void Backward_DeferredOverSeveralCalls_EqualsCompleteCallsAndClearsAccumulator(bool stacked)
    {
        const int m = 64, n = 24, batch = 5, calls = 4;
        GateMatrix matrix = Create(stacked, m, n, 3, 1);
        var fixture = new GateMatrixFixture(matrix, seed: 41);
        float[] cache = Prepared(matrix, fixture.Parameters);
        var weights = new GateMatrixWeights(fixture.Parameters, cache);
        float[] workspace = new float[matrix.WorkspaceSize(batch)];
        float[] accumulator = new float[matrix.GradientAccumulatorSize];
        Assert.True(matrix.UsesGradientAccumulator(batch));
        float[] complete = new float[matrix.ParameterCount], deferred = new float[matrix.ParameterCount];
        for (int call = 0; call < calls; call++)
        {
            float[] x = fixture.RandomVector(batch * n), dy = fixture.RandomVector(batch * m);
            float[] dxComplete = new float[batch * n], dxDeferred = new float[batch * n];
            matrix.Backward(weights, x, dy, batch, complete, dxComplete, workspace);
            matrix.Backward(weights, x, dy, batch, deferred, dxDeferred, workspace, accumulator);
            Assert.Equal(dxComplete, dxDeferred);
        }

        Assert.All(deferred, value => Assert.Equal(0f, value)); // nothing reaches dθ before FinishBackward
        matrix.FinishBackward(weights, accumulator, deferred, workspace);
        AssertClose(complete, deferred, 1e-5, "deferred dθ");
        Assert.All(accumulator, value => Assert.Equal(0f, value));
    }

    [Fact]
    public void Backward_BelowThreshold_LeavesAccumulatorAlone()
    {
        const int m = 20, n = 9, batch = 3;
        GateMatrix matrix = Create(false, m, n, 2, 8);
        var fixture = new GateMatrixFixture(matrix, seed: 2);
        float[] cache = Prepared(matrix, fixture.Parameters);
        Assert.False(matrix.UsesGradientAccumulator(batch));
        Assert.True(matrix.UsesGradientAccumulator(8));
        float[] x = fixture.RandomVector(batch * n), dy = fixture.RandomVector(batch * m);
        float[] accumulator = new float[matrix.GradientAccumulatorSize];
        float[] direct = new float[matrix.ParameterCount], viaOverload = new float[matrix.ParameterCount];
        float[] workspace = new float[matrix.WorkspaceSize(batch)];
        matrix.Backward(new GateMatrixWeights(fixture.Parameters, cache), x, dy, batch, direct, [], workspace);
        matrix.Backward(new GateMatrixWeights(fixture.Parameters, cache), x, dy, batch, viaOverload, [], workspace, accumulator);
        Assert.Equal(direct, viaOverload);
        Assert.All(accumulator, value => Assert.Equal(0f, value));
    }

    [Fact]
    public void Backward_AccumulatorOfWrongLength_ThrowsNamingIt()
    {
        GateMatrix matrix = Create(false, 12, 8, 2, 1);
        var fixture = new GateMatrixFixture(matrix, seed: 4);
        float[] cache = Prepared(matrix, fixture.Parameters);
        float[] workspace = new float[matrix.WorkspaceSize(2)];
        var error = Assert.Throws<ArgumentException>(() => matrix.Backward(new GateMatrixWeights(fixture.Parameters, cache), new float[16], new float[24], 2,
            new float[matrix.ParameterCount], [], workspace, new float[matrix.GradientAccumulatorSize - 1]));
        Assert.Equal("gradientAccumulator", error.ParamName);
        var finish = Assert.Throws<ArgumentException>(() => matrix.FinishBackward(new GateMatrixWeights(fixture.Parameters, cache),
            new float[matrix.GradientAccumulatorSize + 1], new float[matrix.ParameterCount], workspace));
        Assert.Equal("gradientAccumulator", finish.ParamName);
    }

    [Fact]
    public void Dense_GateMatrix_NeverDefers()
    {
        var matrix = new DenseGateMatrix(8, 4);
        Assert.Equal(0, matrix.GradientAccumulatorSize);
        Assert.False(matrix.UsesGradientAccumulator(1000));
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
        float[] accumulator = new float[matrix.GradientAccumulatorSize];
        float[] x = fixture.RandomVector(batch * n), dy = fixture.RandomVector(batch * m);
        float[] y = new float[batch * m], dx = new float[batch * n], dTheta = new float[matrix.ParameterCount];
        void Step()
        {
            matrix.Prepare(fixture.Parameters, cache);
            var weights = new GateMatrixWeights(fixture.Parameters, cache);
            matrix.Forward(weights, x, batch, y, workspace);
            matrix.Backward(weights, x, dy, batch, dTheta, dx, workspace, accumulator);
            matrix.FinishBackward(weights, accumulator, dTheta, workspace);
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
        Assert.False(new ToeplitzLikeGateMatrix(2048, 512, 4).UsesGradientAccumulator(1));
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
