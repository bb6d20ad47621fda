using System;
using System.Collections.Generic;
using CompactRnn.Compression;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Compression;

public sealed class ToeplitzActivationFitTests
{
    // W_x 16×6 and W_r 16×4 (N = 16) per layer.
    private static readonly LstmLayerOptions Layer = new() { HiddenSize = 4, Peepholes = true };

    private static LstmModel Source() => CompressionFixture.Model(CompressionFixture.Options(6, 3, Layer, Layer), seed: 61);

    [Fact]
    public void Activations_LowerThePreActivationResidualBelowBothStarts()
    {
        LstmModel source = Source();
        IReadOnlyList<float[]> utterances = Utterances(40, 6, seed: 62);
        var lines = new List<string>();
        var fit = new ToeplitzFitOptions { Method = ToeplitzFit.Activations, Utterances = utterances, Log = lines.Add };
        LstmModel fitted = ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(2), fit);
        LstmModel svd = ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(2));
        LstmModel exact = ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(2), fit with { Method = ToeplitzFit.Exact });
        Assert.Equal(NetworkSpec.Format(svd.Network.Options.Layers), NetworkSpec.Format(fitted.Network.Options.Layers));
        Assert.Equal(2, lines.Count);
        for (int l = 0; l < 2; l++)
        {
            double after = Residual(source, fitted, utterances, l);
            double start = Math.Min(Residual(source, svd, utterances, l), Residual(source, exact, utterances, l));
            Assert.True(after < 0.9 * start, $"layer {l}: residual {after} vs best start {start}");
        }
    }

    [Fact]
    public void Activations_FullDisplacementRank_FitsThePreActivationsAlmostExactly()
    {
        LstmModel source = Source();
        IReadOnlyList<float[]> utterances = Utterances(20, 6, seed: 63);
        var fit = new ToeplitzFitOptions { Method = ToeplitzFit.Activations, Utterances = utterances, MaxIterations = 50 };
        LstmModel fitted = ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(16), fit);
        Assert.True(Residual(source, fitted, utterances, 0) < 1e-8);
    }

    [Fact]
    public void Activations_WithoutUtterances_ThrowsNamingTheFit()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelCompressor.ToToeplitzLike(Source(), RankRule.Fixed(2), new ToeplitzFitOptions { Method = ToeplitzFit.Activations }));
        Assert.Equal("fit", error.ParamName);
    }

    [Fact]
    public void Activations_UtteranceOfTheWrongLength_ThrowsNamingTheFit()
    {
        var fit = new ToeplitzFitOptions { Method = ToeplitzFit.Activations, Utterances = [new float[13]] };
        var error = Assert.Throws<ArgumentException>(() => ModelCompressor.ToToeplitzLike(Source(), RankRule.Fixed(2), fit));
        Assert.Equal("fit", error.ParamName);
        Assert.Contains("13", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Activations_NonFiniteInput_ThrowsNamingTheFit()
    {
        float[] frames = new float[12];
        frames[7] = float.NaN;
        var fit = new ToeplitzFitOptions { Method = ToeplitzFit.Activations, Utterances = [frames] };
        Assert.Equal("fit", Assert.Throws<ArgumentException>(() => ModelCompressor.ToToeplitzLike(Source(), RankRule.Fixed(2), fit)).ParamName);
    }

    [Fact]
    public void UnknownFit_ThrowsNamingIt()
    {
        var fit = new ToeplitzFitOptions { Method = (ToeplitzFit)7 };
        Assert.Equal("fit", Assert.Throws<ArgumentOutOfRangeException>(() => ModelCompressor.ToToeplitzLike(Source(), RankRule.Fixed(2), fit)).ParamName);
    }

    // Σ_t ‖(M − W) z_t + (b′ − b)‖² / Σ_t ‖W (z_t − μ)‖² for layer l's [W_x, W_r] and gate bias, with z_t = [x_t; r_{t−1}]
    // from the source model: the pre-activation error of the compressed layer, from the moments C, s and T.
    private static double Residual(LstmModel source, LstmModel compressed, IReadOnlyList<float[]> utterances, int layer)
    {
        LayerMoments moments = ActivationMoments.Collect(source, utterances, [layer == 0, layer == 1], "utterances")[layer]!;
        double[] second = moments.Second, centred = moments.Centred();
        float[] wx = CompressionFixture.Dense(source, layer, "Wx"), wr = CompressionFixture.Dense(source, layer, "Wr");
        float[] mx = CompressionFixture.Dense(compressed, layer, "Wx"), mr = CompressionFixture.Dense(compressed, layer, "Wr");
        ReadOnlySpan<float> b = CompressionFixture.Part(source, layer, "b+peepholes"), bNew = CompressionFixture.Part(compressed, layer, "b+peepholes");
        int rows = 16, nx = wx.Length / rows, nr = wr.Length / rows, p = nx + nr;
        double residual = 0, energy = 0;
        for (int i = 0; i < rows; i++)
        {
            double[] w = new double[p], d = new double[p];
            for (int k = 0; k < p; k++)
            {
                w[k] = k < nx ? wx[(i * nx) + k] : wr[(i * nr) + k - nx];
                d[k] = (k < nx ? mx[(i * nx) + k] : mr[(i * nr) + k - nx]) - w[k];
            }

            double shift = (double)bNew[i] - b[i];
            residual += moments.Frames * shift * shift;
            for (int a = 0; a < p; a++)
            {
                residual += 2 * shift * d[a] * moments.Sum[a];
                for (int c = 0; c < p; c++)
                {
                    residual += d[a] * second[(a * p) + c] * d[c];
                    energy += w[a] * centred[(a * p) + c] * w[c];
                }
            }
        }

        return residual / energy;
    }

    private static List<float[]> Utterances(int count, int inputSize, int seed)
    {
        // Correlated inputs (a few latent directions plus noise), as speech features are: the fit should exploit them.
        var random = new Random(seed);
        double[,] mixing = new double[2, inputSize];
        for (int a = 0; a < 2; a++)
        {
            for (int i = 0; i < inputSize; i++)
            {
                mixing[a, i] = (2 * random.NextDouble()) - 1;
            }
        }

        var utterances = new List<float[]>();
        for (int u = 0; u < count; u++)
        {
            int steps = 5 + random.Next(10);
            float[] frames = new float[steps * inputSize];
            for (int t = 0; t < steps; t++)
            {
                double s0 = Math.Sin(0.3 * (t + u)), s1 = (2 * random.NextDouble()) - 1;
                for (int i = 0; i < inputSize; i++)
                {
                    frames[(t * inputSize) + i] = (float)((s0 * mixing[0, i]) + (s1 * mixing[1, i]) + (0.05 * ((2 * random.NextDouble()) - 1)));
                }
            }

            utterances.Add(frames);
        }

        return utterances;
    }
}
