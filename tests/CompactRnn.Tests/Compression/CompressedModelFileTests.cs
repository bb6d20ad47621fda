using System;
using System.IO;
using CompactRnn.Compression;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;

namespace CompactRnn.Tests.Compression;

public sealed class CompressedModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-compress-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void SaveThenLoad_HybridCompressedModel_RoundTripsExactly()
    {
        // Mixed kinds within one layer (Toeplitz-like W_x, low-rank W_r) and a shared projection below.
        var layer = new LstmLayerOptions { HiddenSize = 4, Peepholes = true, ProjectionClip = 5 };
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(6, 3, layer, layer), seed: 51);
        LstmModel model = ModelCompressor.ToSharedLowRank(source, RankRule.Fixed(2), layers: [0]);
        model = ModelCompressor.ToToeplitzLike(model, RankRule.Fixed(3), layers: [1], matrices: CompressedMatrices.InputOnly);
        model = ModelCompressor.ToLowRank(model, RankRule.ExplainedVariance(0.95), layers: [1], matrices: CompressedMatrices.RecurrentOnly);

        string path = Path.Combine(_directory, "compressed.crnn");
        model.Save(path);
        LstmModel loaded = LstmModel.Load(path);

        Assert.Equal(model.Network.Options.Layers, loaded.Network.Options.Layers);
        Assert.Equal("toeplitz", loaded.Network.Layers[1].InputMatrix.Kind);
        Assert.Equal("lowrank", loaded.Network.Layers[1].RecurrentMatrix.Kind);
        Assert.Equal(0f, loaded.Network.Options.Layers[0].ProjectionClip);
        Assert.Equal(5f, loaded.Network.Options.Layers[1].ProjectionClip);
        Assert.Equal(CompressionFixture.Outputs(model), CompressionFixture.Outputs(loaded));
    }
}
