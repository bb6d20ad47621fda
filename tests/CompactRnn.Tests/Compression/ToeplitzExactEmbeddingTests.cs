using System;
using System.Linq;
using CompactRnn.Compression;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;
using MathNet.Numerics.LinearAlgebra;

namespace CompactRnn.Tests.Compression;

public sealed class ToeplitzExactEmbeddingTests
{
    private static readonly ToeplitzFitOptions Exact = new() { Method = ToeplitzFit.Exact };

    // Square: W_r of an LSTMP with n_r = 4n_c (8×8). Tall: the 4n_c × n_c gate stack W_r (12×3). Wide: W_x 8×20.
    [Theory]
    [InlineData("square", 2)]
    [InlineData("square", 4)]
    [InlineData("square", 5)]
    [InlineData("square", 8)]
    [InlineData("tall", 2)]
    [InlineData("tall", 5)]
    [InlineData("tall", 6)]
    [InlineData("wide", 3)]
    [InlineData("wide", 4)]
    public void Exact_EqualsTheRankFloorHalfTruncation(string shape, int rank)
    {
        (LstmModel source, string part, CompressedMatrices matrices) = Case(shape);
        LstmModel compressed = ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(rank), Exact, matrices: matrices);
        GateMatrix matrix = part == "Wx" ? compressed.Network.Layers[0].InputMatrix : compressed.Network.Layers[0].RecurrentMatrix;
        Assert.Equal(rank, Assert.IsType<ToeplitzLikeGateMatrix>(matrix).DisplacementRank);

        Matrix<double> original = AsMatrix(CompressionFixture.Dense(source, 0, part), matrix.OutputSize, matrix.InputSize);
        int k = Math.Min(rank / 2, Math.Min(original.RowCount, original.ColumnCount));
        Matrix<double> truncated = Truncate(original, k);
        Matrix<double> embedded = AsMatrix(CompressionFixture.Dense(compressed, 0, part), matrix.OutputSize, matrix.InputSize);
        double error = (embedded - truncated).FrobeniusNorm() / original.FrobeniusNorm();
        Assert.True(error <= 2e-6, $"{shape} r={rank}: ‖M − W_k‖/‖W‖ = {error}");

        // The budget r uses k = ⌊r/2⌋, not more: the rank-(k+1) truncation is measurably different.
        if (k < Math.Min(original.RowCount, original.ColumnCount))
        {
            double other = (embedded - Truncate(original, k + 1)).FrobeniusNorm() / original.FrobeniusNorm();
            Assert.True(other > 1e-3, $"{shape} r={rank}: also matches rank {k + 1} ({other})");
        }
    }

    [Fact]
    public void Exact_FullRankEmbedding_ReproducesTheModelsOutputs()
    {
        // W_x 12×5 and W_r 12×3 (rank ≤ 3 and 5): r = 10 embeds every matrix exactly.
        var layer = new LstmLayerOptions { HiddenSize = 3, Peepholes = true };
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(5, 2, layer, layer), seed: 51);
        LstmModel compressed = ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(10), Exact);
        double error = CompressionFixture.MaxAbsDifference(CompressionFixture.Outputs(source), CompressionFixture.Outputs(compressed));
        Assert.True(error <= 1e-4, $"max output difference {error}");
    }

    [Fact]
    public void Exact_ExplainedVariance_UsesTwiceTheSvdRank()
    {
        (LstmModel source, _, _) = Case("square");
        Matrix<double> original = AsMatrix(CompressionFixture.Dense(source, 0, "Wr"), 8, 8);
        int k = RankSelection.ForExplainedVariance(original.Svd(false).S.ToArray(), 0.9);
        LstmModel compressed = ModelCompressor.ToToeplitzLike(source, RankRule.ExplainedVariance(0.9), Exact, matrices: CompressedMatrices.RecurrentOnly);
        Assert.Equal(Math.Min(2 * k, 8), ((ToeplitzLikeGateMatrix)compressed.Network.Layers[0].RecurrentMatrix).DisplacementRank);
    }

    [Fact]
    public void Exact_DisplacementRankOne_ThrowsNamingIt()
    {
        (LstmModel source, _, _) = Case("tall");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(1), Exact));
        Assert.Equal("displacementRank", error.ParamName);
    }

    [Fact]
    public void Hybrid_WithExactFit_HasTheDefaultLayout()
    {
        var lstmp = new LstmLayerOptions { HiddenSize = 5, ProjectionSize = 4, Peepholes = true };
        LstmModel source = CompressionFixture.Model(CompressionFixture.Options(3, 2, lstmp, lstmp, lstmp), seed: 52);
        LstmModel svd = ModelCompressor.ToHybrid(source, 4, 3, 2);
        LstmModel exact = ModelCompressor.ToHybrid(source, 4, 3, 2, Exact);
        Assert.Equal(NetworkSpec.Format(svd.Network.Options.Layers), NetworkSpec.Format(exact.Network.Options.Layers));
        Assert.Equal(svd.Network.ParameterCount, exact.Network.ParameterCount);
    }

    private static (LstmModel Source, string Part, CompressedMatrices Matrices) Case(string shape) => shape switch
    {
        "square" => (CompressionFixture.Model(CompressionFixture.Options(8, 0, new LstmLayerOptions { HiddenSize = 2, ProjectionSize = 8 }), seed: 53), "Wr", CompressedMatrices.RecurrentOnly),
        "tall" => (CompressionFixture.Model(CompressionFixture.Options(5, 2, new LstmLayerOptions { HiddenSize = 3 }), seed: 54), "Wr", CompressedMatrices.RecurrentOnly),
        _ => (CompressionFixture.Model(CompressionFixture.Options(20, 3, new LstmLayerOptions { HiddenSize = 2 }), seed: 55), "Wx", CompressedMatrices.InputOnly),
    };

    private static Matrix<double> AsMatrix(float[] values, int rows, int columns)
        => Matrix<double>.Build.DenseOfRowMajor(rows, columns, values.Select(v => (double)v));

    private static Matrix<double> Truncate(Matrix<double> matrix, int k)
    {
        var svd = matrix.Svd(true);
        Matrix<double> result = Matrix<double>.Build.Dense(matrix.RowCount, matrix.ColumnCount);
        for (int j = 0; j < k; j++)
        {
            result += svd.S[j] * svd.U.Column(j).OuterProduct(svd.VT.Row(j));
        }

        return result;
    }
}
