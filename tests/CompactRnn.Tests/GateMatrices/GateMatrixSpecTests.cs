using System;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.GateMatrices;

public sealed class GateMatrixSpecTests
{
    public static TheoryData<string> Texts => new() { "dense", "lowrank:k=3", "lowrank-pergate:k=2", "toeplitz:r=5", "toeplitz-stacked:r=2", "shared-lowrank:k=7" };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Parse_ThenToString_GivesBackTheText(string text)
    {
        GateMatrixSpec spec = GateMatrixSpec.Parse(text);
        Assert.Equal(text, spec.ToString());
        Assert.Equal(spec, GateMatrixSpec.Parse(spec.ToString()));
        Assert.Equal(text.Split(':')[0], spec.Kind);
    }

    [Theory]
    [InlineData(8, 3, 4)]
    [InlineData(20, 5, 4)]
    [InlineData(12, 40, 4)]
    [InlineData(7, 7, 1)]
    [InlineData(3, 9, 1)]
    public void ParameterCount_ClosedForm_EqualsTheBuiltMatrix(int rows, int columns, int gates)
    {
        // Ranks below, at and above the shapes' limits: the closed form must clamp exactly as Build does.
        foreach (int rank in new[] { 1, 2, 3, 5, 40 })
        {
            GateMatrixSpec[] specs = [GateMatrixSpec.Dense, new LowRankGateMatrixSpec(rank), new PerGateLowRankGateMatrixSpec(rank),
                new ToeplitzLikeGateMatrixSpec(rank), new StackedToeplitzLikeGateMatrixSpec(rank)];
            foreach (GateMatrixSpec spec in specs)
            {
                Assert.Equal(spec.Build(rows, columns, gates).ParameterCount, spec.ParameterCount(rows, columns, gates));
            }
        }
    }

    [Theory]
    [InlineData(8, 3, 4)]
    [InlineData(12, 40, 4)]
    [InlineData(7, 7, 1)]
    public void SpecText_OfTheBuiltMatrix_IsTheEffectiveSpecsText(int rows, int columns, int gates)
    {
        // Each kind writes its own spec text (no code outside the kind names it): the text of the spec as built, rank clamped.
        foreach (int rank in new[] { 1, 2, 5, 40 })
        {
            GateMatrixSpec[] specs = [GateMatrixSpec.Dense, new LowRankGateMatrixSpec(rank), new PerGateLowRankGateMatrixSpec(rank),
                new ToeplitzLikeGateMatrixSpec(rank), new StackedToeplitzLikeGateMatrixSpec(rank)];
            foreach (GateMatrixSpec spec in specs)
            {
                if (spec is PerGateLowRankGateMatrixSpec && gates == 1)
                {
                    continue; // one gate block is plain low-rank, and is described so
                }

                Assert.Equal(spec.Effective(rows, columns, gates).ToString(), spec.Build(rows, columns, gates).SpecText);
            }
        }
    }

    [Fact]
    public void MayUseDenseForm_OnlyKindsWithADenseFormFromTheirThreshold()
    {
        Assert.False(GateMatrixSpec.Dense.Build(768, 96, 4).MayUseDenseForm(1 << 20));
        Assert.False(new LowRankGateMatrixSpec(4).Build(768, 96, 4).MayUseDenseForm(1 << 20));
        var toeplitz = new ToeplitzLikeGateMatrix(2048, 512, 4);
        Assert.False(toeplitz.MayUseDenseForm(toeplitz.DenseBatchThreshold - 1));
        Assert.True(toeplitz.MayUseDenseForm(toeplitz.DenseBatchThreshold));
        var stacked = new StackedToeplitzLikeGateMatrix(768, 96, 5) { DenseBatchThreshold = 7 };
        Assert.False(stacked.MayUseDenseForm(6));
        Assert.True(stacked.MayUseDenseForm(7));
    }

    [Fact]
    public void NetworkFootprint_ParameterCount_EqualsTheBuiltNetwork()
    {
        var defaults = new LstmLayerOptions { HiddenSize = 6, ProjectionSize = 4, Peepholes = true };
        foreach (string spec in new[] { "dense x2", "toeplitz:r=3/lowrank:k=2 x1 | shared-lowrank:k=3 x1", "lowrank-pergate:k=9 x1 | toeplitz-stacked:r=2/shared-lowrank:k=2,h=5 x1" })
        {
            var options = new LstmNetworkOptions { InputSize = 11, Layers = NetworkSpec.Parse(spec, defaults), OutputSize = 5 };
            Assert.Equal(new LstmNetwork(options).ParameterCount, NetworkFootprint.Measure(options).ParameterCount);
        }
    }

    [Theory]
    [InlineData("lowrank")]
    [InlineData("lowrank:k=0")]
    [InlineData("lowrank:r=2")]
    [InlineData("toeplitz:k=2")]
    [InlineData("toeplitz:r=-1")]
    [InlineData("toeplitz:r=2097152")]
    [InlineData("circulant:r=2")]
    [InlineData("dense:k=2")]
    [InlineData("")]
    public void Parse_BadText_ThrowsArgumentExceptionQuotingIt(string text)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => GateMatrixSpec.Parse(text));
        Assert.Equal("text", error.ParamName);
    }

    [Fact]
    public void SharedLowRank_IsOnlyAProjection()
    {
        var shared = new SharedLowRankGateMatrixSpec(4);
        Assert.Throws<ArgumentException>(() => new LstmLayerOptions { HiddenSize = 8, Recurrent = shared }.Validate());
        Assert.Throws<ArgumentException>(() => new LstmLayerOptions { HiddenSize = 8, Input = shared }.Validate());
        Assert.Throws<ArgumentException>(() => new LstmLayerOptions { HiddenSize = 8, ProjectionSize = 5, Projection = shared }.Validate());
        Assert.Throws<ArgumentException>(() => new LstmLayerOptions { HiddenSize = 8, ProjectionSize = 4, Projection = shared, Recurrent = new LowRankGateMatrixSpec(2) }.Validate());
        new LstmLayerOptions { HiddenSize = 8, ProjectionSize = 4, Projection = shared, Input = new ToeplitzLikeGateMatrixSpec(2) }.Validate();
    }
}
