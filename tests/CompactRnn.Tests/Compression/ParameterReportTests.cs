using System;
using CompactRnn.Compression;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Compression;

public sealed class ParameterReportTests
{
    private static readonly LstmLayerOptions Layer = new() { HiddenSize = 6, Peepholes = true };

    private static LstmModel Source() => CompressionFixture.Model(CompressionFixture.Options(8, 4, Layer, Layer), seed: 41);

    [Fact]
    public void Of_DenseNetwork_CountsEqualTheDenseBaseline()
    {
        ParameterReport report = ParameterReport.Of(Source().Network);
        // Layer 0: 24·8 + 24·6 + 24 + 18 = 378; layer 1: 24·6 + 24·6 + 42 = 330; output 4·6 + 4 = 28.
        Assert.Equal(378, report.Layers[0].Parameters);
        Assert.Equal(330, report.Layers[1].Parameters);
        Assert.Equal(28, report.OutputLayerParameters);
        Assert.Equal(736, report.Total);
        Assert.Equal(report.Total, report.DenseTotal);
        Assert.Equal(1.0, report.CompressionRatio);
        Assert.Equal("dense", report.Layers[0].InputKind);
        Assert.Equal("none", report.Layers[0].ProjectionKind);
    }

    [Fact]
    public void Of_LowRankNetwork_CountsFactorsAgainstDense()
    {
        LstmModel compressed = ModelCompressor.ToLowRank(Source(), RankRule.Fixed(2));
        ParameterReport report = ParameterReport.Of(compressed.Network);
        // Layer 0: 2·(24 + 8) + 2·(24 + 6) + 42 = 166; layer 1: 2·30 + 2·30 + 42 = 162.
        Assert.Equal(166, report.Layers[0].Parameters);
        Assert.Equal(162, report.Layers[1].Parameters);
        Assert.Equal(378, report.Layers[0].DenseParameters);
        Assert.Equal(compressed.Network.ParameterCount, report.Total);
        Assert.Equal(compressed.Network.DenseParameterCount, report.DenseTotal);
        Assert.Equal(736.0 / (166 + 162 + 28), report.CompressionRatio, 12);
        Assert.Equal("lowrank:k=2", report.Layers[1].RecurrentKind);
    }

    [Fact]
    public void Of_SharedAndToeplitzNetworks_DescribeEveryMatrix()
    {
        LstmModel shared = ModelCompressor.ToSharedLowRank(Source(), RankRule.Fixed(3), layers: [0]);
        ParameterReport sharedReport = ParameterReport.Of(shared.Network);
        // Layer 0 becomes an LSTMP with k = 3: 24·8 + 24·3 + 42 + 3·6 = 324; layer 1's W_x is 24×3: 24·3 + 24·6 + 42 = 258.
        Assert.Equal(324, sharedReport.Layers[0].Parameters);
        Assert.Equal(258, sharedReport.Layers[1].Parameters);
        Assert.Equal("shared-lowrank:k=3", sharedReport.Layers[0].ProjectionKind); // the projection is named as what it was made for
        Assert.Equal(3, sharedReport.Layers[0].OutputSize);

        ParameterReport toeplitz = ParameterReport.Of(ModelCompressor.ToToeplitzLike(Source(), RankRule.Fixed(2)).Network);
        Assert.Equal("toeplitz:r=2", toeplitz.Layers[0].InputKind);
        Assert.Equal((2 * 2 * 24 * 2) + 42, toeplitz.Layers[0].Parameters);
    }

    [Fact]
    public void Format_ListsLayersOutputAndTotal()
    {
        string text = ParameterReport.Of(ModelCompressor.ToLowRank(Source(), RankRule.Fixed(2)).Network).Format();
        string[] lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length); // header, 2 layers, output, total
        Assert.StartsWith("total", lines[^1], StringComparison.Ordinal);
        Assert.Contains("356", lines[^1], StringComparison.Ordinal);
        Assert.Contains("lowrank:k=2", lines[1], StringComparison.Ordinal);
    }
}
