using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

public sealed class NetworkSpecTests
{
    private static readonly LstmLayerOptions Defaults = new() { HiddenSize = 512 };

    [Fact]
    public void Format_MixedKinds_NamesBothMatricesInTheGrammar()
    {
        var layer = new LstmLayerOptions { HiddenSize = 8, Input = new ToeplitzLikeGateMatrixSpec(4), Recurrent = GateMatrixSpec.Dense };

        Assert.Equal("toeplitz:r=4/dense:h=8,p=0 x1", NetworkSpec.Format([layer]));
    }

    [Fact]
    public void Parse_Hybrid_BuildsTheDeclaredLayers()
    {
        var layers = NetworkSpec.Parse("lowrank:k=64 x2 | shared-lowrank:k=128 x1", Defaults);
        Assert.Equal(3, layers.Count);
        Assert.Equal(new LowRankGateMatrixSpec(64), layers[0].Input);
        Assert.Equal(new LowRankGateMatrixSpec(64), layers[1].Recurrent);
        Assert.Equal(128, layers[2].ProjectionSize);
        Assert.Equal(new SharedLowRankGateMatrixSpec(128), layers[2].Projection);
        Assert.Equal(GateMatrixSpec.Dense, layers[2].Input);
        Assert.Equal(GateMatrixSpec.Dense, layers[2].Recurrent);
        Assert.Equal("lowrank:k=64,h=512,p=0 x2 | shared-lowrank:k=128,h=512 x1", NetworkSpec.Format(layers));
    }

    [Fact]
    public void Parse_SharedLowRank_BuildsWhatADenseProjectionBuilds()
    {
        // The name is recorded, the network is the same: shared-lowrank:k=K is the LSTMP with projection K.
        var shared = new LstmNetwork(new LstmNetworkOptions { InputSize = 7, Layers = NetworkSpec.Parse("shared-lowrank:k=3,h=5 x2", Defaults) });
        var dense = new LstmNetwork(new LstmNetworkOptions { InputSize = 7, Layers = NetworkSpec.Parse("dense:h=5,p=3 x2", Defaults) });
        Assert.Equal(dense.ParameterCount, shared.ParameterCount);
        Assert.Equal(dense.Layers.SelectMany(l => l.ParameterBlocks).Select(b => (b.Name, b.Offset, b.Rows, b.Columns)),
            shared.Layers.SelectMany(l => l.ParameterBlocks).Select(b => (b.Name, b.Offset, b.Rows, b.Columns)));
        Assert.Equal("dense:h=5,p=3 x2", NetworkSpec.Format(dense.Options.Layers));
        Assert.Equal("shared-lowrank:k=3,h=5 x2", NetworkSpec.Format(shared.Options.Layers));
    }

    [Theory]
    [InlineData("toeplitz:r=8/dense", "toeplitz", "dense", 0)]
    [InlineData("toeplitz:r=8/lowrank:k=16", "toeplitz", "lowrank", 0)]
    [InlineData("toeplitz:r=8/shared-lowrank:k=32", "toeplitz", "dense", 32)]
    [InlineData("toeplitz-stacked:r=2/lowrank-pergate:k=4,h=64,p=16", "toeplitz-stacked", "lowrank-pergate", 16)]
    public void Parse_MixedLayer_SetsWxAndWrApart(string spec, string input, string recurrent, int projection)
    {
        LstmLayerOptions layer = Assert.Single(NetworkSpec.Parse(spec, Defaults with { ProjectionSize = 0 }));
        Assert.Equal(input, layer.Input.Kind);
        Assert.Equal(recurrent, layer.Recurrent.Kind);
        Assert.Equal(projection, layer.ProjectionSize);
        Assert.Equal(spec.EndsWith("shared-lowrank:k=32", StringComparison.Ordinal), layer.Projection is SharedLowRankGateMatrixSpec);
    }

    [Theory]
    [InlineData("dense x2")]
    [InlineData("lowrank:k=64 x2 | shared-lowrank:k=128 x1")]
    [InlineData("toeplitz:r=4 x1 | dense x2")] // only the first layer structured
    [InlineData("toeplitz:r=8/dense x1 | toeplitz:r=8/lowrank:k=16,p=64 x1 | toeplitz:r=2/shared-lowrank:k=32 x1 | dense:h=100 x1")]
    [InlineData("toeplitz:r=2 x1 | toeplitz:r=2,p=40 x1 | shared-lowrank:k=40 x2")]
    [InlineData("toeplitz-stacked:r=3,h=64 x1 | lowrank-pergate:k=5/toeplitz:r=1 x3")]
    [InlineData("toeplitz:r=2/shared-lowrank:k=4,init=orth x1 | dense:init=rank-scaled x1 | lowrank:k=3,init=vp x1")]
    public void FormatThenParse_GivesBackTheSameLayers(string spec)
    {
        IReadOnlyList<LstmLayerOptions> layers = NetworkSpec.Parse(spec, Defaults);
        string text = NetworkSpec.Format(layers);

        // Other defaults on the way back: everything the layers depend on is in the text.
        IReadOnlyList<LstmLayerOptions> back = NetworkSpec.Parse(text, Defaults with { HiddenSize = 3, ProjectionSize = 2 });

        Assert.Equal(layers, back);
        Assert.Equal(text, NetworkSpec.Format(back));
    }

    [Fact]
    public void Format_EveryKindPairAndProjection_RoundTrips()
    {
        GateMatrixSpec[] kinds = [GateMatrixSpec.Dense, new LowRankGateMatrixSpec(3), new PerGateLowRankGateMatrixSpec(2), new ToeplitzLikeGateMatrixSpec(4), new StackedToeplitzLikeGateMatrixSpec(1)];
        foreach (GateMatrixSpec input in kinds)
        {
            foreach (GateMatrixSpec recurrent in kinds)
            {
                foreach (int projection in new[] { 0, 6 })
                {
                    var layer = new LstmLayerOptions { HiddenSize = 9, ProjectionSize = projection, Input = input, Recurrent = recurrent };
                    Assert.Equal([layer], NetworkSpec.Parse(NetworkSpec.Format([layer]), Defaults));
                }
            }

            var shared = new LstmLayerOptions { HiddenSize = 9, ProjectionSize = 6, Input = input, Projection = new SharedLowRankGateMatrixSpec(6) };
            Assert.Equal([shared], NetworkSpec.Parse(NetworkSpec.Format([shared]), Defaults));
        }
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
    [InlineData("dense:k=3")]
    [InlineData("toeplitz:k=3")]
    [InlineData("toeplitz:r=2,r=3")]
    [InlineData("toeplitz:r=2,h=3/dense:h=4")]
    [InlineData("shared-lowrank:k=4/dense")]
    [InlineData("shared-lowrank:k=4,p=3")]
    [InlineData("toeplitz:r=2,p=3/shared-lowrank:k=4")]
    [InlineData("dense/lowrank:k=2/dense")]
    [InlineData("toeplitz:r=2/")]
    [InlineData("dense:h=0")]
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
