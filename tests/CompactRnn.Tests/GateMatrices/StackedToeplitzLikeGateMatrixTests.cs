using System;
using System.Linq;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>The contract suite for stacked square Toeplitz-like blocks (docs/math.md §10 option 2), plus the tiling checks.</summary>
public sealed class StackedToeplitzLikeGateMatrixTests : GateMatrixContractTests
{
    protected override GateMatrix Create(int outputSize, int inputSize)
        => new StackedToeplitzLikeGateMatrix(outputSize, inputSize, displacementRank: Math.Min(2, Math.Min(outputSize, inputSize)));

    [Fact]
    public void ParameterCount_MatchesMathReference()
    {
        // docs/math.md §5 scheme D: W_x + W_r of a 512-cell layer, r = 4, eight 512×512 gate blocks = 32,768.
        var matrix = new StackedToeplitzLikeGateMatrix(4 * 512, 512, 4);
        Assert.Equal(4, matrix.BlockCount);
        Assert.Equal(32_768, 2 * matrix.ParameterCount);
    }

    [Theory]
    [InlineData(4 * 13, 13, 3)]
    [InlineData(30, 7, 2)]
    [InlineData(5, 23, 4)]
    public void ToDense_EachBlock_EqualsAStandaloneSquareBlock(int m, int n, int rank)
    {
        var stacked = new StackedToeplitzLikeGateMatrix(m, n, rank);
        var fixture = new GateMatrixFixture(stacked, seed: m * n);
        int side = Math.Min(m, n);
        var square = new ToeplitzLikeGateMatrix(side, side, rank);
        float[] squareDense = new float[side * side];
        for (int b = 0; b < stacked.BlockCount; b++)
        {
            int offset = stacked.ParameterBlocks[2 * b].Offset;
            square.ToDense(fixture.Parameters.AsSpan(offset, square.ParameterCount), squareDense);
            for (int i = 0; i < side; i++)
            {
                for (int k = 0; k < side; k++)
                {
                    int row = stacked.IsTall ? (b * side) + i : i, column = stacked.IsTall ? k : (b * side) + k;
                    if (row < m && column < n)
                    {
                        Assert.Equal(squareDense[(i * side) + k], fixture.Dense[(row * n) + column]);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(4 * 512, 40)]
    [InlineData(40, 4 * 256)]
    public void Forward_RectangularGateStacks_EqualsToDense(int m, int n)
    {
        const int batch = 2;
        var fixture = new GateMatrixFixture(new StackedToeplitzLikeGateMatrix(m, n, 4), seed: m - n);
        float[] x = fixture.RandomVector(batch * n);
        float[] y = new float[batch * m];
        fixture.Forward(x, batch, y);
        double[] expected = new double[batch * m];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < m; i++)
            {
                expected[(b * m) + i] = Enumerable.Range(0, n).Sum(k => (double)fixture.Dense[(i * n) + k] * x[(b * n) + k]);
            }
        }

        AssertClose(expected, y, 2e-6, $"{m}x{n}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Constructor_DisplacementRankAboveBlockSide_ThrowsNamingIt(int rank)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new StackedToeplitzLikeGateMatrix(24, 6, rank));
        Assert.Equal("displacementRank", error.ParamName);
        Assert.Equal(rank, error.ActualValue);
    }
}
