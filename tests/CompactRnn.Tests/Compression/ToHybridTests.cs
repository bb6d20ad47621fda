using System;
using CompactRnn.Compression;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Compression;

public sealed class ToHybridTests
{
    // κ_r = 50 is never reached, so the shared fit dropping it does not change the function.
    private static readonly LstmLayerOptions Lstmp = new() { HiddenSize = 5, ProjectionSize = 4, ProjectionClip = 50, Peepholes = true, CellClip = 3 };

    [Fact]
    public void ToHybrid_ReducedRanks_HasTheLayoutOfTheHybridSpec()
    {
        LstmNetworkOptions options = CompressionFixture.Options(3, 2, Lstmp, Lstmp, Lstmp);
        LstmModel source = CompressionFixture.Model(options, seed: 41);
        LstmModel hybrid = ModelCompressor.ToHybrid(source, displacementRank: 2, sharedRank: 3, toeplitzLayers: 2);

        var spec = NetworkSpec.Parse("toeplitz:r=2 x1 | toeplitz:r=2,p=3 x1 | shared-lowrank:k=3 x1", Lstmp);
        long expected = new LstmNetwork(options with { Layers = spec }).ParameterCount;
        Assert.Equal(expected, hybrid.Network.ParameterCount);
        Assert.Equal(["toeplitz", "toeplitz", "dense"], [hybrid.Network.Layers[0].InputMatrix.Kind, hybrid.Network.Layers[1].RecurrentMatrix.Kind, hybrid.Network.Layers[2].InputMatrix.Kind]);
        Assert.Equal([4, 3, 3], [hybrid.Network.Layers[0].OutputSize, hybrid.Network.Layers[1].OutputSize, hybrid.Network.Layers[2].OutputSize]);
    }

    [Fact]
    public void ToHybrid_FullRanks_ReproducesOutputs()
    {
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(3, 2, Lstmp, Lstmp, Lstmp), seed: 42);
        LstmModel hybrid = ModelCompressor.ToHybrid(source, displacementRank: 20, sharedRank: 4, toeplitzLayers: 2);

        double error = CompressionFixture.MaxAbsDifference(CompressionFixture.Outputs(source), CompressionFixture.Outputs(hybrid));
        Assert.True(error <= 1e-3, $"max output difference {error}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void ToHybrid_BottomLayerCountOutOfRange_ThrowsNamingIt(int toeplitzLayers)
    {
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(3, 2, Lstmp, Lstmp, Lstmp), seed: 43);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelCompressor.ToHybrid(source, 1, 2, toeplitzLayers));
        Assert.Equal("toeplitzLayers", error.ParamName);
        Assert.Equal(toeplitzLayers, error.ActualValue);
    }
}
