using System;
using System.Linq;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>
/// The contract suite for the Toeplitz-like kind (displacement rank min(2, N), one generator pair), plus
/// the structure-specific checks: odd and prime N, N = 1, odd r, the displacement identity, FFT vs the
/// direct O(r·N²) product vs ToDense, the rectangular gate-stack embeddings and argument validation.
/// </summary>
/// <remarks>
/// Product tolerance: the contract's default 1e-5·√n (relative to max(1, max|y|)) is kept for the FFT paths.
/// Evidence: the largest measured error of y and ∂x against the double dense product is 6.4e-7 of the output
/// scale for N ∈ {64, 257, 1000, 1024, 2048} and r ∈ {1, 4, 16, 64}; the direct size checks below use the
/// tighter 2e-6 with no √n, which every SIMD path passes.
/// </remarks>
public sealed class ToeplitzLikeGateMatrixTests : GateMatrixContractTests
{
    protected override GateMatrix Create(int outputSize, int inputSize)
        => new ToeplitzLikeGateMatrix(outputSize, inputSize, displacementRank: Math.Min(2, Math.Max(outputSize, inputSize)));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(7, 3)]
    [InlineData(13, 4)]
    [InlineData(40, 5)]
    [InlineData(257, 4)]
    [InlineData(1000, 3)]
    public void Forward_SquareOddAndPrimeSizes_EqualsToDense(int size, int rank)
    {
        var fixture = new GateMatrixFixture(new ToeplitzLikeGateMatrix(size, size, rank), seed: size + rank);
        AssertForwardMatchesDense(fixture, batch: 2, $"N={size} r={rank}");
    }

    [Theory]
    [InlineData(4 * 512, 40)]
    [InlineData(4 * 256, 128)]
    [InlineData(40, 4 * 256)]
    public void ForwardAndBackward_RectangularGateStacks_EqualDenseProducts(int m, int n)
    {
        const int batch = 2;
        var fixture = new GateMatrixFixture(new ToeplitzLikeGateMatrix(m, n, 4), seed: m + n);
        AssertForwardMatchesDense(fixture, batch, $"{m}x{n}");

        float[] x = fixture.RandomVector(batch * n);
        float[] dy = fixture.RandomVector(batch * m);
        float[] dx = new float[batch * n];
        fixture.Backward(x, dy, batch, new float[fixture.Matrix.ParameterCount], dx);
        double[] expected = new double[batch * n];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < m; i++)
            {
                for (int k = 0; k < n; k++)
                {
                    expected[(b * n) + k] += (double)fixture.Dense[(i * n) + k] * dy[(b * m) + i];
                }
            }
        }

        AssertClose(expected, dx, 1e-5 * Math.Sqrt(m), $"dInput {m}x{n}");
    }

    [Theory]
    [InlineData(16, 3)]
    [InlineData(13, 2)]
    [InlineData(7, 7)]
    [InlineData(1, 1)]
    public void ToDense_SquareMatrix_SatisfiesDisplacementIdentity(int size, int rank)
    {
        // Z_1 M − M Z_{−1} = G Hᵀ, in double on the float dense matrix.
        var matrix = new ToeplitzLikeGateMatrix(size, size, rank);
        var fixture = new GateMatrixFixture(matrix, seed: 31 * size);
        float[] g = matrix.ParameterBlocks[0].Slice(fixture.Parameters.AsSpan()).ToArray();
        float[] h = matrix.ParameterBlocks[1].Slice(fixture.Parameters.AsSpan()).ToArray();
        double scale = fixture.Dense.Max(v => Math.Abs((double)v));
        for (int i = 0; i < size; i++)
        {
            for (int k = 0; k < size; k++)
            {
                double z1m = fixture.Dense[(((i - 1 + size) % size) * size) + k];                        // (Z_1 M)_ik = M_{i−1, k}
                double mz = k + 1 < size ? fixture.Dense[(i * size) + k + 1] : -fixture.Dense[i * size]; // (M Z_{−1})_ik
                double ghT = 0;
                for (int j = 0; j < rank; j++)
                {
                    ghT += (double)g[(j * size) + i] * h[(j * size) + k];
                }

                Assert.True(Math.Abs(z1m - mz - ghT) <= 1e-5 * Math.Max(scale, 1e-3), $"N={size} r={rank} ({i},{k}): {z1m - mz} vs {ghT}");
            }
        }
    }

    [Theory]
    [InlineData(64, 5)]
    [InlineData(37, 2)]
    [InlineData(97, 1)]
    public void Forward_FftProduct_MatchesDirectReferenceAndToDense(int size, int rank)
    {
        var matrix = new ToeplitzLikeGateMatrix(size, size, rank);
        var fixture = new GateMatrixFixture(matrix, seed: size * rank);
        float[] x = fixture.RandomVector(size);
        double[] direct = ToeplitzLikeReference.Multiply(
            matrix.ParameterBlocks[0].Slice(fixture.Parameters.AsSpan()), matrix.ParameterBlocks[1].Slice(fixture.Parameters.AsSpan()),
            rank, size, x.Select(v => (double)v).ToArray());
        double[] fromDense = new double[size];
        for (int i = 0; i < size; i++)
        {
            for (int k = 0; k < size; k++)
            {
                fromDense[i] += (double)fixture.Dense[(i * size) + k] * x[k];
            }
        }

        AssertClose(direct, fromDense.Select(v => (float)v).ToArray(), 1e-6, "ToDense vs direct");
        float[] y = new float[size];
        fixture.Forward(x, 1, y);
        AssertClose(direct, y, 1e-5 * Math.Sqrt(size), "FFT vs direct");
    }

    [Theory]
    [InlineData(7, true)]
    [InlineData(7, false)]
    [InlineData(12, true)]
    [InlineData(12, false)]
    public void Forward_GeneratorSelectingOneFactor_EqualsThatCirculantAlone(int size, bool circulant)
    {
        // r = 1. With J h = 2·e_0 the skew factor is 2·I and M = Z_1(g) (the f = +1 path alone);
        // with g = 2·e_0 the circulant factor is 2·I and M = Z_{−1}(J h) (the f = −1 path alone).
        var matrix = new ToeplitzLikeGateMatrix(size, size, 1);
        var fixture = new GateMatrixFixture(matrix, seed: size);
        Span<float> g = matrix.ParameterBlocks[0].Slice(fixture.Parameters.AsSpan());
        Span<float> h = matrix.ParameterBlocks[1].Slice(fixture.Parameters.AsSpan());
        Span<float> selector = circulant ? h : g;
        selector.Clear();
        selector[circulant ? size - 1 : 0] = 2f;
        double[] v = new double[size];
        for (int i = 0; i < size; i++)
        {
            v[i] = circulant ? g[i] : h[size - 1 - i];
        }

        float[] x = fixture.RandomVector(size);
        double[] expected = ToeplitzLikeReference.FCirculantTimes(v, circulant ? 1 : -1, x.Select(value => (double)value).ToArray());
        float[] y = new float[size];
        fixture.Forward(x, 1, y);
        AssertClose(expected, y, 2e-6, circulant ? "Z_1(g)" : "Z_{-1}(Jh)");
    }

    [Fact]
    public void Backward_OddDisplacementRank_ParameterGradientMatchesFiniteDifferences()
    {
        const int m = 9, n = 11, batch = 2;
        var fixture = new GateMatrixFixture(new ToeplitzLikeGateMatrix(m, n, 3), seed: 17);
        float[] x = fixture.RandomVector(batch * n);
        float[] dy = fixture.RandomVector(batch * m);
        float[] dParameters = new float[fixture.Matrix.ParameterCount];
        fixture.Backward(x, dy, batch, dParameters, []);
        for (int index = 0; index < fixture.Parameters.Length; index++)
        {
            const float epsilon = 1e-2f;
            float original = fixture.Parameters[index];
            fixture.Parameters[index] = original + epsilon;
            double plus = fixture.Loss(x, dy, batch);
            fixture.Parameters[index] = original - epsilon;
            double minus = fixture.Loss(x, dy, batch);
            fixture.Parameters[index] = original;
            double numeric = (plus - minus) / (2 * epsilon);
            double error = Math.Abs(numeric - dParameters[index]) / Math.Max(1e-3, Math.Abs(numeric) + Math.Abs(dParameters[index]));
            Assert.True(error <= 1e-2, $"θ[{index}]: numeric {numeric} vs analytic {dParameters[index]}");
        }
    }

    [Fact]
    public void ParameterCount_MatchesMathReference()
    {
        // docs/math.md §5: W_x alone, r = 4, one 2048×2048 embedded block (4·512 × 512) = 16,384; 8 gate blocks of 512² = 32,768.
        Assert.Equal(16_384, new ToeplitzLikeGateMatrix(4 * 512, 512, 4).ParameterCount);
        Assert.Equal(32_768, 8 * new ToeplitzLikeGateMatrix(512, 512, 4).ParameterCount);
        Assert.Equal("toeplitz", new ToeplitzLikeGateMatrix(3, 2, 1).Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(9)]
    public void Constructor_DisplacementRankOutOfRange_ThrowsNamingIt(int rank)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ToeplitzLikeGateMatrix(8, 6, rank));
        Assert.Equal("displacementRank", error.ParamName);
        Assert.Equal(rank, error.ActualValue);
    }

    private static void AssertForwardMatchesDense(GateMatrixFixture fixture, int batch, string what)
    {
        int m = fixture.Matrix.OutputSize, n = fixture.Matrix.InputSize;
        float[] x = fixture.RandomVector(batch * n);
        float[] y = new float[batch * m];
        fixture.Forward(x, batch, y);
        double[] expected = new double[batch * m];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < m; i++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++)
                {
                    sum += (double)fixture.Dense[(i * n) + k] * x[(b * n) + k];
                }

                expected[(b * m) + i] = sum;
            }
        }

        AssertClose(expected, y, 2e-6, what);
    }
}
