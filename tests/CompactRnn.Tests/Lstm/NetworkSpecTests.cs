using System;
using System.Linq;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

public sealed class NetworkSpecTests
{
    private static readonly LstmLayerOptions Defaults = new() { HiddenSize = 512 };

    [Fact]
    public void Format_MixedKinds_NamesBothMatrices()
    {
        var layer = new LstmLayerOptions { HiddenSize = 8, Input = new GateMatrixSpec("toeplitz", 4), Recurrent = GateMatrixSpec.Dense };

        Assert.Equal("W_x toeplitz:r=4 / W_r dense:h=8,p=0 x1", NetworkSpec.Format([layer]));
    }

    [Fact]
    public void Parse_Hybrid_BuildsTheDeclaredLayers()
    {
        var layers = NetworkSpec.Parse("lowrank:k=64 x2 | shared-lowrank:k=128 x1", Defaults);
        Assert.Equal(3, layers.Count);
        Assert.Equal(new GateMatrixSpec("lowrank", 64), layers[0].Input);
        Assert.Equal(new GateMatrixSpec("lowrank", 64), layers[1].Recurrent);
        Assert.Equal(128, layers[2].ProjectionSize);
        Assert.Equal("lowrank:k=64,h=512,p=0 x2 | dense:h=512,p=128 x1", NetworkSpec.Format(layers));
    }

    [Fact]
    public void SharedLowRank_ParameterCount_MatchesMathReference()
    {
        // docs/math.md §5 scheme C, k = 128, n_c = 512: W_r^l + W_x^{l+1} + P^l = 589,824.
        var network = new LstmNetwork(new LstmNetworkOptions { InputSize = 512, Layers = NetworkSpec.Parse("shared-lowrank:k=128 x1 | dense x1", Defaults) });
        var layer0 = network.Layers[0];
        var layer1 = network.Layers[1];
        int shared = layer0.RecurrentMatrix.ParameterCount + layer0.ProjectionMatrix!.ParameterCount + layer1.InputMatrix.ParameterCount;
        Assert.Equal(589_824, shared);
    }

    [Fact]
    public void DenseLstmp_ParameterCount_MatchesMathReference()
    {
        // docs/math.md §3: n_i = 512, n_c = 512, n_r = 128 with peepholes: 1,379,840.
        var layer = new CompactRnn.Layers.LstmLayer(512, new LstmLayerOptions { HiddenSize = 512, ProjectionSize = 128, Peepholes = true });
        Assert.Equal(1_379_840, layer.ParameterCount);
        Assert.Equal(1_379_840, layer.DenseParameterCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("dense |")]
    [InlineData("lowrank")]
    [InlineData("lowrank:k=0")]
    [InlineData("lowrank:q=3")]
    [InlineData("magic:k=3")]
    [InlineData("dense x0")]
    [InlineData("dense twice")]
    public void Parse_BadText_ThrowsFormatExceptionQuotingIt(string spec)
    {
        var error = Assert.Throws<FormatException>(() => NetworkSpec.Parse(spec, Defaults));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Parse_LowRankAboveLayerSize_IsClampedToFullRank()
    {
        var network = new LstmNetwork(new LstmNetworkOptions { InputSize = 8, Layers = NetworkSpec.Parse("lowrank:k=100,h=4", Defaults) });
        Assert.Equal(8, ((CompactRnn.GateMatrices.LowRankGateMatrix)network.Layers[0].InputMatrix).Rank);
        Assert.True(network.Layers.All(l => l.HiddenSize == 4));
    }
}
