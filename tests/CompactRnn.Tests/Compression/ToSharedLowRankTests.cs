using System;
using System.Linq;
using CompactRnn.Compression;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Compression;

public sealed class ToSharedLowRankTests
{
    private static readonly LstmLayerOptions Lstm = new() { HiddenSize = 4, Peepholes = true, CellClip = 3 };

    // κ_r = 50 is never reached, so dropping it does not change the function.
    private static readonly LstmLayerOptions Lstmp = new() { HiddenSize = 5, ProjectionSize = 3, ProjectionClip = 50 };

    [Fact]
    public void ToSharedLowRank_FullRankWithoutProjection_ReproducesOutputs()
    {
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(3, 2, Lstm, Lstm), seed: 21);
        LstmModel compressed = ModelCompressor.ToSharedLowRank(source, RankRule.Fixed(4));

        Assert.All(compressed.Network.Layers, l => Assert.Equal(4, l.OutputSize));
        Assert.All(compressed.Network.Layers, l => Assert.True(l.HasProjection));
        double error = CompressionFixture.MaxAbsDifference(CompressionFixture.Outputs(source), CompressionFixture.Outputs(compressed));
        Assert.True(error <= 1e-4, $"max output difference {error}");
    }

    [Fact]
    public void ToSharedLowRank_FullRankOfLstmp_ComposesProjectionAndReproducesOutputs()
    {
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(3, 2, Lstmp, Lstmp), seed: 22);
        LstmModel compressed = ModelCompressor.ToSharedLowRank(source, RankRule.ExplainedVariance(1.0));

        Assert.All(compressed.Network.Options.Layers, l => Assert.Equal(0f, l.ProjectionClip));
        Assert.All(compressed.Network.Layers, l => Assert.Equal(3, l.OutputSize));
        double error = CompressionFixture.MaxAbsDifference(CompressionFixture.Outputs(source), CompressionFixture.Outputs(compressed));
        Assert.True(error <= 1e-4, $"max output difference {error}");
    }

    [Fact]
    public void ToSharedLowRank_ReducedRank_RefitsNextLayerByLeastSquares()
    {
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(3, 2, Lstm, Lstm), seed: 23);
        LstmModel compressed = ModelCompressor.ToSharedLowRank(source, RankRule.Fixed(2), layers: [0]);

        // Layer 0 had no projection, so its new W_p is P itself (2 × 4); layer 1's new W_x is Z (16 × 2).
        float[] projection = CompressionFixture.Dense(compressed, 0, "Wp");
        AssertNormalEquations(CompressionFixture.Dense(compressed, 1, "Wx"), projection, CompressionFixture.Dense(source, 1, "Wx"), rows: 16, rank: 2, columns: 4);
        AssertNormalEquations(CompressionFixture.Dense(compressed, 0, "Wr"), projection, CompressionFixture.Dense(source, 0, "Wr"), rows: 16, rank: 2, columns: 4);
        Assert.True(CompressionFixture.Part(source, 1, "Wr").SequenceEqual(CompressionFixture.Part(compressed, 1, "Wr")));
        Assert.Equal(CompressionFixture.OutputWeights(source), CompressionFixture.OutputWeights(compressed));
    }

    [Fact]
    public void ToSharedLowRank_TopLayer_RefitsOutputLayerByLeastSquares()
    {
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(3, 5, Lstm), seed: 24);
        LstmModel compressed = ModelCompressor.ToSharedLowRank(source, RankRule.Fixed(3));

        AssertNormalEquations(CompressionFixture.OutputWeights(compressed), CompressionFixture.Dense(compressed, 0, "Wp"),
            CompressionFixture.OutputWeights(source), rows: 5, rank: 3, columns: 4);
    }

    [Fact]
    public void ToSharedLowRank_ReducedRank_MatchesTheSpecBuiltNetwork()
    {
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(3, 2, Lstm, Lstm), seed: 25);
        LstmModel compressed = ModelCompressor.ToSharedLowRank(source, RankRule.Fixed(2), layers: [0]);

        var spec = new LstmNetwork(CompressionFixture.Options(3, 2, [.. NetworkSpec.Parse("shared-lowrank:k=2 | dense", Lstm)]));
        Assert.Equal(spec.ParameterCount, compressed.Network.ParameterCount);
        Assert.Equal(2, compressed.Network.Layers[0].ProjectionMatrix!.OutputSize);
    }

    [Fact]
    public void ToSharedLowRank_WithoutOutputLayer_SkipsOrRejectsTheTopLayer()
    {
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(3, 0, Lstm, Lstm), seed: 26);
        LstmModel compressed = ModelCompressor.ToSharedLowRank(source, RankRule.Fixed(2));
        Assert.True(compressed.Network.Layers[0].HasProjection);
        Assert.False(compressed.Network.Layers[1].HasProjection);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelCompressor.ToSharedLowRank(source, RankRule.Fixed(2), layers: [1]));
        Assert.Equal("layers", error.ParamName);
    }

    [Fact]
    public void ToSharedLowRank_RankAboveProjectionSize_ThrowsNamingRank()
    {
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(3, 2, Lstmp), seed: 27);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelCompressor.ToSharedLowRank(source, RankRule.Fixed(4)));
        Assert.Equal("rank", error.ParamName);
    }

    /// <summary>Z minimises ‖Z·P − W‖_F iff (Z·P − W)·Pᵀ = 0 (Z rows × rank, P rank × columns, W rows × columns).</summary>
    private static void AssertNormalEquations(float[] z, float[] p, float[] w, int rows, int rank, int columns)
    {
        double scale = w.Max(v => Math.Abs(v));
        for (int i = 0; i < rows; i++)
        {
            double[] residual = new double[columns];
            for (int j = 0; j < columns; j++)
            {
                double product = 0;
                for (int q = 0; q < rank; q++)
                {
                    product += (double)z[(i * rank) + q] * p[(q * columns) + j];
                }

                residual[j] = product - w[(i * columns) + j];
            }

            for (int q = 0; q < rank; q++)
            {
                double gradient = 0;
                for (int j = 0; j < columns; j++)
                {
                    gradient += residual[j] * p[(q * columns) + j];
                }

                Assert.True(Math.Abs(gradient) <= 1e-5 * scale, $"row {i}, column {q} of (ZP − W)Pᵀ: {gradient}");
            }
        }

        // The rank is really reduced, so the fit is not trivially exact.
        Assert.True(CompressionFixture.FrobeniusDistance(w, Multiply(z, p, rows, rank, columns)) > 1e-3 * scale);
    }

    private static float[] Multiply(float[] a, float[] b, int rows, int inner, int columns)
    {
        float[] result = new float[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double sum = 0;
                for (int q = 0; q < inner; q++)
                {
                    sum += (double)a[(i * inner) + q] * b[(q * columns) + j];
                }

                result[(i * columns) + j] = (float)sum;
            }
        }

        return result;
    }
}
