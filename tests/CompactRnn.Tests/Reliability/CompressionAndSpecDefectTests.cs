using System;
using CompactRnn.Compression;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Tests.Compression;

namespace CompactRnn.Tests.Reliability;

/// <summary>Issue #13 defect 8: compression of a non-finite model, and specs that print what is built.</summary>
public class CompressionAndSpecDefectTests
{
    private static readonly LstmLayerOptions Layer = new() { HiddenSize = 3 };

    public static TheoryData<string> Compressions => ["lowrank", "toeplitz", "shared-lowrank", "hybrid"];

    [Theory]
    [MemberData(nameof(Compressions))]
    public void Compress_ModelWithNaNOrInfinity_IsArgumentExceptionNamingTheParameter(string kind)
    {
        foreach (float bad in (float[])[float.NaN, float.PositiveInfinity])
        {
            LstmModel good = CompressionFixture.Model(CompressionFixture.Options(5, 4, Layer, Layer), seed: 11);
            float[] parameters = good.Parameters.ToArray();
            Parameters.ParameterBlock block = good.Network.ParameterBlocks[3];
            parameters[block.Offset + 2] = bad;
            var source = new LstmModel(good.Network, parameters);

            var error = Assert.Throws<ArgumentException>(() => Compress(source, kind));

            Assert.Equal("source", error.ParamName);
            Assert.Contains("non-finite", error.Message, StringComparison.Ordinal);
            Assert.Contains(block.Name + "[2]", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ThinSvd_NonFiniteMatrix_IsArgumentExceptionNotNonConvergence()
    {
        var matrix = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(4, 3, (i, j) => i == 2 && j == 1 ? double.NaN : i + j);

        Assert.Throws<ArgumentException>(() => ThinSvd.Of(matrix));
    }

    [Fact]
    public void Format_RankAboveTheMatrix_PrintsTheRankThatIsBuilt()
    {
        // W_x of layer 0 is 32×5: lowrank:k=16 builds rank 5 there; W_r (32×8) gets 8; layer 1's W_x (32×8) 8 too.
        var options = new LstmNetworkOptions { InputSize = 5, Layers = NetworkSpec.Parse("lowrank:k=16 x2", new LstmLayerOptions { HiddenSize = 8 }) };
        var network = new LstmNetwork(options);

        string text = NetworkSpec.Format(options);

        Assert.Equal("W_x lowrank:k=5 / W_r lowrank:k=8:h=8,p=0 x1 | lowrank:k=8,h=8,p=0 x1", text);
        Assert.Equal(5, ((LowRankGateMatrix)network.Layers[0].InputMatrix).Rank);
        Assert.Equal(8, ((LowRankGateMatrix)network.Layers[0].RecurrentMatrix).Rank);
        Assert.Equal("lowrank:k=16,h=8,p=0 x2", NetworkSpec.Format(options.Layers)); // the requested form, as stored in a model file
    }

    [Theory]
    [InlineData("toeplitz", 50, 40, 10, 40)]          // square embedding of side max(m, n) = 40
    [InlineData("toeplitz-stacked", 50, 40, 10, 10)]  // square blocks of side min(m, n) = 10
    [InlineData("lowrank-pergate", 12, 40, 10, 10)]    // per gate: min(m/4, n)
    [InlineData("lowrank", 2, 40, 10, 2)]             // within the limit: unchanged
    public void Effective_ClampsAsBuildDoes(string kind, int rank, int m, int n, int expected)
    {
        var spec = new GateMatrixSpec(kind, rank);

        Assert.Equal(expected, spec.Effective(m, n, 4).Rank);
        Assert.Equal(new GateMatrixSpec(kind, expected).Build(m, n, 4).ParameterCount, spec.Build(m, n, 4).ParameterCount);
    }

    private static LstmModel Compress(LstmModel source, string kind) => kind switch
    {
        "lowrank" => ModelCompressor.ToLowRank(source, RankRule.Fixed(2)),
        "toeplitz" => ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(1)),
        "shared-lowrank" => ModelCompressor.ToSharedLowRank(source, RankRule.Fixed(2)),
        _ => ModelCompressor.ToHybrid(source, 1, 2, 1),
    };
}
