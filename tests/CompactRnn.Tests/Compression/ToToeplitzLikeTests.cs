using System;
using System.Linq;
using CompactRnn.Compression;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;
using MathNet.Numerics.LinearAlgebra;

namespace CompactRnn.Tests.Compression;

public sealed class ToToeplitzLikeTests
{
    // W_x 12×5 and W_r 12×3 (layer 0), W_x 12×3 (layer 1): N = 12 everywhere.
    private static readonly LstmLayerOptions Layer = new() { HiddenSize = 3, Peepholes = true };

    private static LstmModel Source() => CompressionFixture.Model(CompressionFixture.Options(5, 2, Layer, Layer), seed: 31);

    [Fact]
    public void ToToeplitzLike_FullDisplacementRank_ReproducesEveryMatrix()
    {
        LstmModel source = Source();
        LstmModel compressed = ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(12));
        for (int l = 0; l < 2; l++)
        {
            foreach (string part in new[] { "Wx", "Wr" })
            {
                var layer = compressed.Network.Layers[l];
                Assert.IsType<ToeplitzLikeGateMatrix>(part == "Wx" ? layer.InputMatrix : layer.RecurrentMatrix);
                float[] expected = CompressionFixture.Dense(source, l, part);
                double error = CompressionFixture.MaxAbsDifference(expected, CompressionFixture.Dense(compressed, l, part));
                Assert.True(error <= 1e-5, $"layers.{l}.{part}: max entry difference {error}");
            }
        }
    }

    [Fact]
    public void ToToeplitzLike_FullDisplacementRank_ReproducesOutputsThroughTheFftPath()
    {
        LstmModel source = Source();
        LstmModel compressed = ModelCompressor.ToToeplitzLike(source, RankRule.ExplainedVariance(1.0));
        // The zero padding leaves at most n + 1 non-zero columns in L (n of Z_1·W̃, one from the wrap-around of
        // W̃·Z_{−1}), so τ = 1 stops at r = n + 1: 6 for the 12×5 W_x, 4 for the 12×3 ones.
        Assert.Equal(new ToeplitzLikeGateMatrixSpec(6), compressed.Network.Options.Layers[0].Input);
        Assert.All(compressed.Network.Options.Layers, l => Assert.Equal(new ToeplitzLikeGateMatrixSpec(4), l.Recurrent));
        Assert.Equal(new ToeplitzLikeGateMatrixSpec(4), compressed.Network.Options.Layers[1].Input);
        double error = CompressionFixture.MaxAbsDifference(CompressionFixture.Outputs(source), CompressionFixture.Outputs(compressed));
        Assert.True(error <= 1e-4, $"max output difference {error}");
    }

    [Fact]
    public void ToToeplitzLike_SquareMatrix_GeneratorsAreTheBestRankRDisplacement()
    {
        // W_r of an LSTMP with n_r = 4n_c is square (8×8), so the stored M is exactly the fitted matrix.
        var layer = new LstmLayerOptions { HiddenSize = 2, ProjectionSize = 8 };
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(8, 0, layer), seed: 32);
        Matrix<double> original = Matrix<double>.Build.DenseOfRowMajor(8, 8, CompressionFixture.Dense(source, 0, "Wr").Select(v => (double)v));
        double[] sigma = ModelCompressor.Displacement(original, 8).Svd(false).S.ToArray();
        double previous = double.MaxValue;
        for (int r = 1; r <= 8; r++)
        {
            LstmModel compressed = ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(r), matrices: CompressedMatrices.RecurrentOnly);
            Matrix<double> fitted = Matrix<double>.Build.DenseOfRowMajor(8, 8, CompressionFixture.Dense(compressed, 0, "Wr").Select(v => (double)v));
            double residual = (ModelCompressor.Displacement(fitted, 8) - ModelCompressor.Displacement(original, 8)).FrobeniusNorm();
            double optimal = Math.Sqrt(sigma.Skip(r).Sum(s => s * s));
            Assert.True(Math.Abs(residual - optimal) <= 1e-5, $"r={r}: displacement residual {residual}, optimum {optimal}");
            Assert.True(residual < previous || r == 8, $"r={r}: {residual} vs {previous}");
            previous = residual;
        }
    }

    [Theory]
    [InlineData(9)]   // τ-free: r = m + 1 is exact for a wide W
    [InlineData(20)]  // r = N
    public void ToToeplitzLike_WideInputMatrix_IsReproducedFromItsNonZeroRows(int rank)
    {
        // W_x is 8×20 (n_in > 4n_c): N = 20, and only rows 0..8 of L are non-zero.
        var layer = new LstmLayerOptions { HiddenSize = 2 };
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(20, 3, layer), seed: 33);
        LstmModel compressed = ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(rank), matrices: CompressedMatrices.InputOnly);
        double error = CompressionFixture.MaxAbsDifference(CompressionFixture.Dense(source, 0, "Wx"), CompressionFixture.Dense(compressed, 0, "Wx"));
        Assert.True(error <= 1e-5, $"max entry difference {error}");
        Assert.Equal(9, ((ToeplitzLikeGateMatrix)ModelCompressor.ToToeplitzLike(source, RankRule.ExplainedVariance(1.0)).Network.Layers[0].InputMatrix).DisplacementRank);
        double outputError = CompressionFixture.MaxAbsDifference(CompressionFixture.Outputs(source), CompressionFixture.Outputs(compressed));
        Assert.True(outputError <= 1e-4, $"max output difference {outputError}");
    }

    [Fact]
    public void ToToeplitzLike_ParameterCount_IsTwoNrPerMatrix()
    {
        LstmModel compressed = ModelCompressor.ToToeplitzLike(Source(), RankRule.Fixed(2));
        // Per layer: 2 matrices × 2·12·2, b 12, peepholes 9; output 2·3 + 2.
        Assert.Equal((2 * ((2 * 48) + 21)) + 8, compressed.Network.ParameterCount);
    }

    [Fact]
    public void ToToeplitzLike_RankAboveEmbedding_ThrowsNamingDisplacementRank()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelCompressor.ToToeplitzLike(Source(), RankRule.Fixed(13)));
        Assert.Equal("displacementRank", error.ParamName);
    }

    [Fact]
    public void Displacement_OfToeplitzMatrix_HasRankTwo()
    {
        // A Toeplitz T has displacement rank ≤ 2 for (Z_1, Z_{−1}) (docs/math.md §6).
        Matrix<double> toeplitz = Matrix<double>.Build.Dense(6, 6, (i, k) => 1.0 / (3 + i - k + 6));
        double[] sigma = ModelCompressor.Displacement(toeplitz, 6).Svd(false).S.ToArray();
        Assert.True(sigma[1] > 1e-3);
        Assert.True(sigma[2] <= 1e-12 * sigma[0], $"third singular value {sigma[2]}");
    }
}
