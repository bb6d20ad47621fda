using System;
using System.Linq;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>
/// The checks every <see cref="GateMatrix"/> kind must pass. A new kind gets all of them by adding one
/// subclass that says how to build it for a shape.
/// </summary>
public abstract class GateMatrixContractTests
{
    /// <summary>Shapes (m, n) including 1, primes, rectangles both ways and a gate-stack shape.</summary>
    public static TheoryData<int, int> Shapes => new()
    {
        { 1, 1 }, { 7, 5 }, { 5, 7 }, { 13, 13 }, { 28, 7 }, { 12, 40 }, { 40, 12 }, { 37, 257 },
    };

    /// <summary>Builds the kind under test for an m×n shape.</summary>
    protected abstract GateMatrix Create(int outputSize, int inputSize);

    /// <summary>Relative tolerance of float products against the double reference.</summary>
    protected virtual double ProductTolerance => 1e-5;

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_RandomInput_EqualsDenseProductAndAccumulates(int m, int n)
    {
        foreach (int batch in new[] { 1, 32 })
        {
            var fixture = new GateMatrixFixture(Create(m, n), seed: (m * 1000) + n);
            float[] x = fixture.RandomVector(batch * n);
            float[] y = fixture.RandomVector(batch * m);
            double[] expected = new double[batch * m];
            for (int b = 0; b < batch; b++)
            {
                for (int i = 0; i < m; i++)
                {
                    double sum = y[(b * m) + i];
                    for (int j = 0; j < n; j++)
                    {
                        sum += (double)fixture.Dense[(i * n) + j] * x[(b * n) + j];
                    }

                    expected[(b * m) + i] = sum;
                }
            }

            fixture.Forward(x, batch, y);
            AssertClose(expected, y, ProductTolerance * Math.Sqrt(n), $"forward m={m} n={n} B={batch}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_RandomGradient_InputGradientIsTransposeProductAndAccumulates(int m, int n)
    {
        foreach (int batch in new[] { 1, 32 })
        {
            var fixture = new GateMatrixFixture(Create(m, n), seed: (n * 1000) + m);
            float[] x = fixture.RandomVector(batch * n);
            float[] dy = fixture.RandomVector(batch * m);
            float[] dx = fixture.RandomVector(batch * n);
            double[] expected = new double[batch * n];
            for (int b = 0; b < batch; b++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = dx[(b * n) + j];
                    for (int i = 0; i < m; i++)
                    {
                        sum += (double)fixture.Dense[(i * n) + j] * dy[(b * m) + i];
                    }

                    expected[(b * n) + j] = sum;
                }
            }

            float[] dParameters = new float[fixture.Matrix.ParameterCount];
            fixture.Backward(x, dy, batch, dParameters, dx);
            AssertClose(expected, dx, ProductTolerance * Math.Sqrt(m), $"dInput m={m} n={n} B={batch}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_ParameterGradient_MatchesFiniteDifferences(int m, int n)
    {
        const int batch = 3;
        var fixture = new GateMatrixFixture(Create(m, n), seed: 7 + m + n);
        float[] x = fixture.RandomVector(batch * n);
        float[] dy = fixture.RandomVector(batch * m);
        float[] dParameters = new float[fixture.Matrix.ParameterCount];
        fixture.Backward(x, dy, batch, dParameters, []);

        // L(θ) = Σ_b ⟨dy_b, W(θ)·x_b⟩ in double; central differences with ε = 1e-2 on the float parameters.
        var random = new Random(11);
        int checks = Math.Min(fixture.Parameters.Length, 48);
        foreach (int index in Enumerable.Range(0, checks).Select(_ => random.Next(fixture.Parameters.Length)))
        {
            const float epsilon = 1e-2f;
            float original = fixture.Parameters[index];
            fixture.Parameters[index] = original + epsilon;
            double plus = fixture.Loss(x, dy, batch);
            fixture.Parameters[index] = original - epsilon;
            double minus = fixture.Loss(x, dy, batch);
            fixture.Parameters[index] = original;
            double numeric = (plus - minus) / (2 * epsilon);
            double analytic = dParameters[index];
            double error = Math.Abs(numeric - analytic) / Math.Max(1e-3, Math.Abs(numeric) + Math.Abs(analytic));
            Assert.True(error <= 1e-2, $"{fixture.Matrix.Kind} m={m} n={n} θ[{index}]: numeric {numeric} vs analytic {analytic}");
        }
    }

    [Fact]
    public void Backward_PrefilledParameterGradient_IsAddedTo()
    {
        var fixture = new GateMatrixFixture(Create(12, 9), seed: 5);
        float[] x = fixture.RandomVector(2 * 9);
        float[] dy = fixture.RandomVector(2 * 12);
        float[] fresh = new float[fixture.Matrix.ParameterCount];
        fixture.Backward(x, dy, 2, fresh, []);
        float[] prefilled = fixture.RandomVector(fixture.Matrix.ParameterCount);
        float[] accumulated = (float[])prefilled.Clone();
        fixture.Backward(x, dy, 2, accumulated, []);
        AssertClose(prefilled.Zip(fresh, (a, b) => (double)a + b).ToArray(), accumulated, 1e-5, "dθ accumulation");
    }

    [Fact]
    public void Forward_BatchRows_AreIndependent()
    {
        const int m = 11, n = 6, batch = 5;
        var fixture = new GateMatrixFixture(Create(m, n), seed: 3);
        float[] x = fixture.RandomVector(batch * n);
        float[] together = new float[batch * m];
        fixture.Forward(x, batch, together);
        for (int b = 0; b < batch; b++)
        {
            float[] alone = new float[m];
            fixture.Forward(x.AsSpan(b * n, n).ToArray(), 1, alone);
            AssertClose(alone.Select(v => (double)v).ToArray(), together.AsSpan(b * m, m).ToArray(), ProductTolerance * 10, $"row {b}");
        }
    }

    [Fact]
    public void Forward_SameInputs_GivesIdenticalBits()
    {
        var fixture = new GateMatrixFixture(Create(20, 13), seed: 9);
        float[] x = fixture.RandomVector(4 * 13);
        float[] first = new float[4 * 20];
        float[] second = new float[4 * 20];
        fixture.Forward(x, 4, first);
        fixture.Forward(x, 4, second);
        Assert.Equal(first, second);
    }

    [Fact]
    public void ParameterBlocks_CoverParametersExactlyOnceInOrder()
    {
        GateMatrix matrix = Create(24, 10);
        int next = 0;
        foreach (var block in matrix.ParameterBlocks)
        {
            Assert.Equal(next, block.Offset);
            Assert.True(block.Length > 0, block.Name);
            next += block.Length;
        }

        Assert.Equal(matrix.ParameterCount, next);
        Assert.Equal(matrix.ParameterBlocks.Count, matrix.ParameterBlocks.Select(b => b.Name).Distinct().Count());
    }

    [Fact]
    public void Initialize_DenseEquivalent_HasDocumentedVariance()
    {
        const int m = 64, n = 48;
        var fixture = new GateMatrixFixture(Create(m, n), seed: 21);
        double mean = fixture.Dense.Average(v => (double)v);
        double variance = fixture.Dense.Average(v => ((double)v - mean) * ((double)v - mean));
        double target = 1.0 / (3.0 * n);
        Assert.InRange(variance / target, 0.6, 1.6);
        Assert.InRange(Math.Abs(mean), 0, 0.2 * Math.Sqrt(target));
    }

    [Fact]
    public void Forward_ShortSpans_ThrowNamingTheArgument()
    {
        var fixture = new GateMatrixFixture(Create(8, 6), seed: 1);
        float[] workspace = new float[fixture.Matrix.WorkspaceSize(2)];
        float[] cache = new float[fixture.Matrix.CacheSize];
        var weights = new GateMatrixWeights(fixture.Parameters, cache);
        var tooShortInput = Assert.Throws<ArgumentException>(() => fixture.Matrix.Forward(new GateMatrixWeights(fixture.Parameters, cache), new float[11], 2, new float[16], workspace));
        Assert.Equal("input", tooShortInput.ParamName);
        var tooShortOutput = Assert.Throws<ArgumentException>(() => fixture.Matrix.Forward(new GateMatrixWeights(fixture.Parameters, cache), new float[12], 2, new float[15], workspace));
        Assert.Equal("output", tooShortOutput.ParamName);
        var wrongParameters = Assert.Throws<ArgumentException>(() => fixture.Matrix.Forward(new GateMatrixWeights(new float[fixture.Parameters.Length + 1], cache), new float[12], 2, new float[16], workspace));
        Assert.Contains("Parameters", wrongParameters.ParamName, StringComparison.Ordinal);
        var badBatch = Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Matrix.Forward(new GateMatrixWeights(fixture.Parameters, cache), new float[12], 0, new float[16], workspace));
        Assert.Equal("batchSize", badBatch.ParamName);
        Assert.Contains("0", badBatch.Message, StringComparison.Ordinal);
        _ = weights;
    }

    [Fact]
    public void Backward_ShortGradientSpans_ThrowNamingTheArgument()
    {
        var fixture = new GateMatrixFixture(Create(8, 6), seed: 1);
        float[] workspace = new float[fixture.Matrix.WorkspaceSize(2)];
        float[] cache = new float[fixture.Matrix.CacheSize];
        var error = Assert.Throws<ArgumentException>(() => fixture.Matrix.Backward(new GateMatrixWeights(fixture.Parameters, cache), new float[12], new float[16], 2, new float[fixture.Parameters.Length], new float[11], workspace));
        Assert.Equal("dInput", error.ParamName);
        var dParameters = Assert.Throws<ArgumentException>(() => fixture.Matrix.Backward(new GateMatrixWeights(fixture.Parameters, cache), new float[12], new float[16], 2, new float[fixture.Parameters.Length - 1], [], workspace));
        Assert.Equal("dParameters", dParameters.ParamName);
    }

    /// <summary>Asserts |expected − actual| ≤ tolerance·max(1, |expected|) element-wise.</summary>
    internal static void AssertClose(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1.0, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            Assert.True(error <= tolerance * scale, $"{what}: element {i} expected {expected[i]} got {actual[i]} (error {error:E2}, tolerance {tolerance * scale:E2})");
        }
    }
}
