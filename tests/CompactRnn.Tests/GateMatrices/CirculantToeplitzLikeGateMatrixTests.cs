using System;
using System.Linq;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>
/// The circulant inference form of a Toeplitz-like matrix: its product equals the double dense product of the same
/// parameters (ToDense) and the skew FFT path, for gate-stack shapes, odd and even r, odd and prime N, n = 1 and square;
/// it never runs backward; and it is chosen for short inputs only.
/// </summary>
public sealed class CirculantToeplitzLikeGateMatrixTests
{
    [Theory]
    [InlineData(768, 40, 4)]   // the full preset's W_x (h192)
    [InlineData(768, 96, 4)]   // its W_r (p96)
    [InlineData(512, 64, 1)]
    [InlineData(1024, 128, 3)]
    [InlineData(257, 13, 2)]   // Bluestein length, odd n
    [InlineData(30, 1, 1)]     // one input: no correlation terms
    [InlineData(40, 40, 5)]    // square: still exact, only slower
    [InlineData(7, 3, 7)]      // r = N
    public void Forward_EqualsDenseProductAndSkewPath(int m, int n, int rank)
    {
        var source = new ToeplitzLikeGateMatrix(m, n, rank);
        var circulant = new CirculantToeplitzLikeGateMatrix(source);
        var fixture = new GateMatrixFixture(source, seed: m + n + rank);
        const int batch = 3;
        float[] x = fixture.RandomVector(batch * n);
        float[] bias = fixture.RandomVector(batch * m);

        float[] skew = (float[])bias.Clone();
        fixture.Forward(x, batch, skew);

        float[] cache = new float[circulant.CacheSize];
        circulant.Prepare(fixture.Parameters, cache);
        float[] y = (float[])bias.Clone();
        circulant.Forward(new GateMatrixWeights(fixture.Parameters, cache), x, batch, y, new float[circulant.WorkspaceSize(batch)]);

        double[] expected = new double[batch * m];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < m; i++)
            {
                double sum = bias[(b * m) + i];
                for (int k = 0; k < n; k++)
                {
                    sum += (double)fixture.Dense[(i * n) + k] * x[(b * n) + k];
                }

                expected[(b * m) + i] = sum;
            }
        }

        GateMatrixContractTests.AssertClose(expected, y, 1e-5 * Math.Sqrt(Math.Max(m, n)), $"circulant {m}x{n} r={rank} vs dense");
        GateMatrixContractTests.AssertClose(skew.Select(v => (double)v).ToArray(), y, 1e-5 * Math.Sqrt(Math.Max(m, n)), $"circulant {m}x{n} r={rank} vs skew path");
        Assert.True(circulant.CacheSize <= 4 * ((rank + 1) / 2) * Math.Max(m, n), "the circulant cache should not exceed the skew spectra");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public void Correlate_MatchesTheDefinition(int rank)
    {
        var random = new Random(4 + rank);
        foreach (int n in new[] { 1, 2, 5, 16, 17, 33, 100 })
        {
            int stride = n + 3;
            float[] h = Enumerable.Range(0, rank * stride).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            float[] padded = new float[n + System.Numerics.Vector<float>.Count];
            for (int k = 0; k < n; k++)
            {
                padded[k] = (float)random.NextDouble() - 0.5f;
            }

            int count = Math.Max(0, n - 1);
            float[] w = Enumerable.Repeat(7f, (rank * count) + 4).ToArray();
            CirculantToeplitzLikeGateMatrix.Correlate(h, rank, stride, padded, n, w);
            for (int j = 0; j < rank; j++)
            {
                for (int d = 0; d < count; d++)
                {
                    double sum = 0;
                    for (int l = 0; l <= n - 2 - d; l++)
                    {
                        sum += (double)h[(j * stride) + l] * padded[l + 1 + d];
                    }

                    Assert.True(Math.Abs(sum - w[(j * count) + d]) <= 1e-5, $"n={n} j={j} d={d}: {w[(j * count) + d]} vs {sum}");
                }
            }

            Assert.All(w[(rank * count)..], v => Assert.Equal(7f, v)); // nothing written past the r rows
        }
    }

    [Fact]
    public void Backward_Throws()
    {
        var circulant = new CirculantToeplitzLikeGateMatrix(new ToeplitzLikeGateMatrix(64, 8, 2));
        float[] parameters = new float[circulant.ParameterCount], cache = new float[circulant.CacheSize];
        Assert.Throws<InvalidOperationException>(() => circulant.Backward(new GateMatrixWeights(parameters, cache), new float[8], new float[64], 1,
            new float[circulant.ParameterCount], [], new float[circulant.WorkspaceSize(1)]));
    }

    [Theory]
    [InlineData(768, 40, 4, true)]
    [InlineData(768, 96, 4, true)]
    [InlineData(512, 64, 4, true)]     // the h128 full-preset shape's W_r (p64)
    [InlineData(1024, 128, 4, true)]   // the h256 shape's W_r (p128): a little slower, kept for the smaller cache
    [InlineData(768, 192, 4, false)]   // an h192 W_r without projection: the correlations cost more than the FFTs saved
    [InlineData(1024, 1024, 4, false)] // square: the correlations cost more than the FFTs saved
    [InlineData(512, 512, 1, false)]
    public void Pays_ForShortInputsOnly(int m, int n, int rank, bool expected)
        => Assert.Equal(expected, CirculantToeplitzLikeGateMatrix.Pays(new ToeplitzLikeGateMatrix(m, n, rank)));
}
