using System;
using System.Linq;
using CompactRnn.Compression;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Compression;

public sealed class ToLowRankTests
{
    private static readonly LstmLayerOptions Layer = new() { HiddenSize = 3, Peepholes = true };

    private static LstmModel Source() => CompressionFixture.Model(CompressionFixture.Options(5, 4, Layer, Layer), seed: 11);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ToLowRank_FullRank_ReproducesDenseOutputs(bool perGate)
    {
        LstmModel source = Source();
        LstmModel compressed = ModelCompressor.ToLowRank(source, RankRule.ExplainedVariance(1.0), perGate);

        Assert.All(compressed.Network.Layers, l => Assert.IsType<LowRankGateMatrix>(l.InputMatrix));
        Assert.Equal(perGate ? 4 : 1, ((LowRankGateMatrix)compressed.Network.Layers[0].RecurrentMatrix).GroupCount);
        double error = CompressionFixture.MaxAbsDifference(CompressionFixture.Outputs(source), CompressionFixture.Outputs(compressed));
        Assert.True(error <= 1e-4, $"max output difference {error}");
    }

    [Fact]
    public void ToLowRank_GrowingRank_ShrinksErrorAsEckartYoungPredicts()
    {
        // W_r 24×6 in each layer (W_x kept dense): rank 6 is exact.
        var layer = new LstmLayerOptions { HiddenSize = 6 };
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(8, 3, layer, layer), seed: 12);
        float[] expected = CompressionFixture.Outputs(source);
        float[] dense = CompressionFixture.Dense(source, 0, "Wr");
        double[] sigma = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(24, 6, (i, j) => dense[(i * 6) + j]).Svd(false).S.ToArray();
        double previousMatrixError = double.MaxValue, firstOutputError = 0, lastOutputError = 0;
        for (int k = 1; k <= 6; k++)
        {
            LstmModel compressed = ModelCompressor.ToLowRank(source, RankRule.Fixed(k), matrices: CompressedMatrices.RecurrentOnly);
            double matrixError = CompressionFixture.FrobeniusDistance(dense, CompressionFixture.Dense(compressed, 0, "Wr"));
            double optimal = Math.Sqrt(sigma.Skip(k).Sum(s => s * s));
            Assert.True(Math.Abs(matrixError - optimal) <= 1e-5, $"k={k}: error {matrixError}, optimum {optimal}");
            Assert.True(matrixError < previousMatrixError || k == 6, $"k={k}: {matrixError} vs {previousMatrixError}");
            previousMatrixError = matrixError;
            double outputError = CompressionFixture.MaxAbsDifference(expected, CompressionFixture.Outputs(compressed));
            firstOutputError = k == 1 ? outputError : firstOutputError;
            lastOutputError = outputError;
        }

        Assert.True(lastOutputError <= 1e-4, $"full-rank output error {lastOutputError}");
        Assert.True(firstOutputError > 100 * lastOutputError, $"rank-1 output error {firstOutputError} vs full {lastOutputError}");
    }

    [Fact]
    public void ToLowRank_FixedRank_BuildsTheDeclaredSpecAndParameterCount()
    {
        LstmModel source = Source();
        LstmModel compressed = ModelCompressor.ToLowRank(source, RankRule.Fixed(2));
        Assert.Equal(new LowRankGateMatrixSpec(2), compressed.Network.Options.Layers[1].Input);
        // Per layer: W_x 2·(12 + n_in), W_r 2·(12 + 3), b 12, peepholes 9; output 4·3 + 4.
        int expected = (2 * (12 + 5)) + (2 * 15) + 21 + (2 * (12 + 3)) + (2 * 15) + 21 + 16;
        Assert.Equal(expected, compressed.Network.ParameterCount);
    }

    [Fact]
    public void ToLowRank_ChosenLayerAndMatrix_CopiesEverythingElseExactly()
    {
        LstmModel source = Source();
        LstmModel compressed = ModelCompressor.ToLowRank(source, RankRule.Fixed(1), layers: [1], matrices: CompressedMatrices.RecurrentOnly);
        Assert.True(source.Network.LayerParameters(source.Parameters, 0).SequenceEqual(compressed.Network.LayerParameters(compressed.Parameters, 0)));
        Assert.True(CompressionFixture.Part(source, 1, "Wx").SequenceEqual(CompressionFixture.Part(compressed, 1, "Wx")));
        Assert.True(CompressionFixture.Part(source, 1, "b+peepholes").SequenceEqual(CompressionFixture.Part(compressed, 1, "b+peepholes")));
        Assert.Equal(CompressionFixture.OutputWeights(source), CompressionFixture.OutputWeights(compressed));
        Assert.IsType<DenseGateMatrix>(compressed.Network.Layers[1].InputMatrix);
        Assert.IsType<LowRankGateMatrix>(compressed.Network.Layers[1].RecurrentMatrix);
    }

    [Fact]
    public void ToLowRank_RankAboveMatrix_ThrowsNamingRank()
    {
        // W_r is 12×3: rank 4 is impossible.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelCompressor.ToLowRank(Source(), RankRule.Fixed(4)));
        Assert.Equal("rank", error.ParamName);
        Assert.Contains("layers.0.Wr", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToLowRank_UndefinedMatrixChoice_ThrowsNamingMatrices()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelCompressor.ToLowRank(Source(), RankRule.Fixed(1), matrices: (CompressedMatrices)7));
        Assert.Equal("matrices", error.ParamName);
    }

    [Fact]
    public void ToLowRank_LayerOutsideStack_ThrowsNamingLayers()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelCompressor.ToLowRank(Source(), RankRule.Fixed(1), layers: [2]));
        Assert.Equal("layers", error.ParamName);
    }
}
