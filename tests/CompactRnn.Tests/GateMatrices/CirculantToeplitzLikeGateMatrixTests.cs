using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using CompactRnn.GateMatrices;
using CompactRnn.Kernels;

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
    public void Correlate_MatchesTheDefinition_AtEveryWidth(int rank)
    {
        // The dispatched width, then each width the machine runs (written once over ILanes, so each must agree).
        var widths = new List<(string Name, Correlation Run)> { ("dispatched", CirculantToeplitzLikeGateMatrix.Correlate), ("scalar", CirculantToeplitzLikeGateMatrix.Correlate<Lanes1, float>) };
        if (Lanes128.IsAccelerated)
        {
            widths.Add(("128", CirculantToeplitzLikeGateMatrix.Correlate<Lanes128, Vector128<float>>));
        }

        if (Lanes256.IsAccelerated)
        {
            widths.Add(("256", CirculantToeplitzLikeGateMatrix.Correlate<Lanes256, Vector256<float>>));
        }

        if (Lanes512.IsAccelerated)
        {
            widths.Add(("512", CirculantToeplitzLikeGateMatrix.Correlate<Lanes512, Vector512<float>>));
        }

        foreach ((string name, Correlation run) in widths)
        {
            AssertCorrelation(rank, name, run);
        }
    }

    [Fact]
    public void Correlate_VectorWidths_GiveTheSameBits()
    {
        // Each lane sums the same fused products in the same order; the zeros read past x add exactly nothing.
        var random = new Random(11);
        const int n = 61, rank = 5, stride = 64;
        float[] h = Enumerable.Range(0, rank * stride).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] padded = new float[n + Lanes512.Count];
        for (int k = 0; k < n; k++)
        {
            padded[k] = (float)random.NextDouble() - 0.5f;
        }

        float[] dispatched = new float[rank * (n - 1)];
        CirculantToeplitzLikeGateMatrix.Correlate(h, rank, stride, padded, n, dispatched);
        foreach ((bool accelerated, Correlation run) in new (bool, Correlation)[]
        {
            (Lanes128.IsAccelerated, CirculantToeplitzLikeGateMatrix.Correlate<Lanes128, Vector128<float>>),
            (Lanes256.IsAccelerated, CirculantToeplitzLikeGateMatrix.Correlate<Lanes256, Vector256<float>>),
            (Lanes512.IsAccelerated, CirculantToeplitzLikeGateMatrix.Correlate<Lanes512, Vector512<float>>),
        })
        {
            if (accelerated)
            {
                float[] w = new float[dispatched.Length];
                run(h, rank, stride, padded, n, w);
                Assert.Equal(dispatched, w);
            }
        }
    }

    private delegate void Correlation(ReadOnlySpan<float> h, int rank, int stride, ReadOnlySpan<float> padded, int n, Span<float> w);

    private static void AssertCorrelation(int rank, string width, Correlation correlate)
    {
        var random = new Random(4 + rank);
        foreach (int n in new[] { 1, 2, 5, 16, 17, 33, 100 })
        {
            int stride = n + 3;
            float[] h = Enumerable.Range(0, rank * stride).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            float[] padded = new float[n + Lanes512.Count]; // zeros past x for the widest width
            for (int k = 0; k < n; k++)
            {
                padded[k] = (float)random.NextDouble() - 0.5f;
            }

            int count = Math.Max(0, n - 1);
            float[] w = Enumerable.Repeat(7f, (rank * count) + 4).ToArray();
            correlate(h, rank, stride, padded, n, w);
            for (int j = 0; j < rank; j++)
            {
                for (int d = 0; d < count; d++)
                {
                    double sum = 0;
                    for (int l = 0; l <= n - 2 - d; l++)
                    {
                        sum += (double)h[(j * stride) + l] * padded[l + 1 + d];
                    }

                    Assert.True(Math.Abs(sum - w[(j * count) + d]) <= 1e-5, $"{width}: n={n} j={j} d={d}: {w[(j * count) + d]} vs {sum}");
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
