using System;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>
/// The initialisation schemes of docs/math.md §9: the variance of the dense equivalent's entries under
/// <see cref="GateMatrixInit.RankScaled"/> (1/(4·r·N)) against <see cref="GateMatrixInit.VariancePreserving"/> (1/(3n)), and the
/// exact orthogonality and scale of <see cref="GateMatrixInit.SemiOrthogonal"/> factors.
/// </summary>
public sealed class InitSchemeTests
{
    [Theory]
    [InlineData(256, 256, 1)]
    [InlineData(256, 256, 4)]
    [InlineData(256, 256, 16)]
    [InlineData(512, 64, 2)]
    [InlineData(512, 64, 8)]
    public void ToeplitzLikeRankScaledEntriesHaveVarianceOneOverFourRN(int rows, int columns, int rank)
    {
        int size = Math.Max(rows, columns);
        double rankScaled = EntryVariance(() => new ToeplitzLikeGateMatrix(rows, columns, rank, GateMatrixInit.RankScaled), seeds: 6);
        Assert.InRange(rankScaled * 4.0 * rank * size, 0.8, 1.25);

        // The variance-preserving draw of the same shape keeps 1/(3n) whatever r, so the two differ by the factor 4rN/(3n).
        double preserving = EntryVariance(() => new ToeplitzLikeGateMatrix(rows, columns, rank, GateMatrixInit.VariancePreserving), seeds: 6);
        Assert.InRange(preserving * 3.0 * columns, 0.8, 1.25);
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(64, 8)]
    public void StackedToeplitzLikeRankScaledEntriesHaveVarianceOneOverFourRS(int side, int rank)
    {
        double variance = EntryVariance(() => new StackedToeplitzLikeGateMatrix(4 * side, side, rank, GateMatrixInit.RankScaled), seeds: 6);
        Assert.InRange(variance * 4.0 * rank * side, 0.8, 1.25);
    }

    [Fact]
    public void RankScaledLeavesLowRankKindsVariancePreserving()
    {
        Assert.Equal(GateMatrixInit.VariancePreserving, new LowRankGateMatrix(64, 32, 4, 1, GateMatrixInit.RankScaled).Init);
        Assert.Equal(GateMatrixInit.VariancePreserving, new ToeplitzLikeGateMatrix(64, 32, 4, GateMatrixInit.SemiOrthogonal).Init);
        Assert.Equal(GateMatrixInit.VariancePreserving, new DenseGateMatrix(64, 32, GateMatrixInit.RankScaled).Init);
    }

    [Theory]
    [InlineData(512, 40, 5, 1)]
    [InlineData(512, 64, 16, 1)]
    [InlineData(512, 64, 8, 4)]
    public void LowRankSemiOrthogonalFactorsAreOrthogonalAtTheVariancePreservingScale(int rows, int columns, int rank, int groups)
    {
        var matrix = new LowRankGateMatrix(rows, columns, rank, groups, GateMatrixInit.SemiOrthogonal);
        float[] parameters = new float[matrix.ParameterCount];
        matrix.Initialize(parameters, new Random(3));
        int groupRows = rows / groups;
        for (int g = 0; g < groups; g++)
        {
            // UᵀU = (m_g/(3k))·I (entry variance 1/(3k)), V Vᵀ = I (entry variance 1/n).
            AssertGram(matrix.ParameterBlocks[2 * g].Slice(parameters), groupRows, rank, columnsGram: true, groupRows / (3.0 * rank));
            AssertGram(matrix.ParameterBlocks[(2 * g) + 1].Slice(parameters), rank, columns, columnsGram: false, 1.0);
        }

        // Hence ‖W‖_F² = Σ_g k·m_g/(3k) = m/3 exactly: the mean entry variance 1/(3n) of the variance-preserving draw.
        float[] dense = new float[rows * columns];
        matrix.ToDense(parameters, dense);
        double squares = 0;
        foreach (float value in dense)
        {
            squares += (double)value * value;
        }

        Assert.Equal(rows / 3.0, squares, rows / 3.0 * 1e-4);
    }

    [Fact]
    public void SharedLowRankSemiOrthogonalFactorsAreOrthogonal()
    {
        // Consumers narrower than k get orthonormal rows instead of columns.
        var matrix = new SharedLowRankGateMatrix([40, 8], 64, 16, GateMatrixInit.SemiOrthogonal);
        float[] parameters = new float[matrix.ParameterCount];
        matrix.Initialize(parameters, new Random(4));
        AssertGram(matrix.ParameterBlocks[0].Slice(parameters), 16, 64, columnsGram: false, 1.0);
        AssertGram(matrix.ParameterBlocks[1].Slice(parameters), 40, 16, columnsGram: true, 40 / (3.0 * 16));
        AssertGram(matrix.ParameterBlocks[2].Slice(parameters), 8, 16, columnsGram: false, 16 / (3.0 * 16));
    }

    [Fact]
    public void LayerPassesItsSchemeToStructuredMatricesAndTheProjection()
    {
        var orth = new LstmLayer(40, new LstmLayerOptions
        {
            HiddenSize = 32, ProjectionSize = 16, Input = new GateMatrixSpec("lowrank", 4), Recurrent = new GateMatrixSpec("lowrank", 4), Init = GateMatrixInit.SemiOrthogonal,
        });
        Assert.Equal(GateMatrixInit.SemiOrthogonal, Assert.IsType<LowRankGateMatrix>(orth.InputMatrix).Init);
        Assert.Equal(GateMatrixInit.SemiOrthogonal, Assert.IsType<DenseGateMatrix>(orth.ProjectionMatrix).Init);

        // W_p (16×32) of a dense LSTMP is semi-orthogonal with entry variance 1/(3·32): W_p W_pᵀ = (32/(3·32))·I.
        float[] parameters = new float[orth.ParameterCount];
        orth.Initialize(parameters, new Random(5));
        ParameterBlockSlice(orth, parameters, "Wp.W", out float[] projection);
        AssertGram(projection, 16, 32, columnsGram: false, 1.0 / 3.0);

        var scaled = new LstmLayer(40, new LstmLayerOptions
        {
            HiddenSize = 32, Input = new GateMatrixSpec("toeplitz", 4), Recurrent = new GateMatrixSpec("toeplitz-stacked", 2), Init = GateMatrixInit.RankScaled,
        });
        Assert.Equal(GateMatrixInit.RankScaled, Assert.IsType<ToeplitzLikeGateMatrix>(scaled.InputMatrix).Init);
        Assert.Equal(GateMatrixInit.RankScaled, Assert.IsType<StackedToeplitzLikeGateMatrix>(scaled.RecurrentMatrix).Init);
    }

    [Fact]
    public void UnknownSchemeIsRejectedNamingInit()
    {
        var options = new LstmLayerOptions { HiddenSize = 4, Init = (GateMatrixInit)7 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal("Init", error.ParamName);
    }

    private static void ParameterBlockSlice(LstmLayer layer, float[] parameters, string name, out float[] values)
    {
        foreach (var block in layer.ParameterBlocks)
        {
            if (block.Name == name)
            {
                values = block.Slice(parameters).ToArray();
                return;
            }
        }

        throw new InvalidOperationException($"No block {name}.");
    }

    // Gram matrix AᵀA (columnsGram) or AAᵀ of a row-major rows×columns A must be scale·I to float rounding.
    private static void AssertGram(ReadOnlySpan<float> a, int rows, int columns, bool columnsGram, double scale)
    {
        int count = columnsGram ? columns : rows, length = columnsGram ? rows : columns;
        for (int p = 0; p < count; p++)
        {
            for (int q = 0; q <= p; q++)
            {
                double dot = 0;
                for (int i = 0; i < length; i++)
                {
                    double x = columnsGram ? a[(i * columns) + p] : a[(p * columns) + i];
                    double y = columnsGram ? a[(i * columns) + q] : a[(q * columns) + i];
                    dot += x * y;
                }

                Assert.Equal(p == q ? scale : 0.0, dot, scale * 1e-5);
            }
        }
    }

    // The variance of the dense equivalent's entries, pooled over several seeds (entries of one draw are correlated).
    private static double EntryVariance(Func<GateMatrix> create, int seeds)
    {
        double sum = 0, squares = 0;
        long count = 0;
        for (int seed = 1; seed <= seeds; seed++)
        {
            GateMatrix matrix = create();
            var fixture = new GateMatrixFixture(matrix, seed);
            foreach (float value in fixture.Dense)
            {
                sum += value;
                squares += (double)value * value;
                count++;
            }
        }

        double mean = sum / count;
        return (squares / count) - (mean * mean);
    }
}
