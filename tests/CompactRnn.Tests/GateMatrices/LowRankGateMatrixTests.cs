using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>The contract suite for the stacked low-rank kind (scheme B), plus rank validation.</summary>
public sealed class LowRankGateMatrixTests : GateMatrixContractTests
{
    protected override GateMatrix Create(int outputSize, int inputSize)
        => new LowRankGateMatrix(outputSize, inputSize, rank: Math.Min(3, Math.Min(outputSize, inputSize)));

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(7)]
    public void Constructor_RankOutOfRange_ThrowsNamingRank(int rank)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LowRankGateMatrix(8, 6, rank));
        Assert.Equal("rank", error.ParamName);
        Assert.Equal(rank, error.ActualValue);
    }

    [Fact]
    public void ParameterCount_MatchesMathReference()
    {
        // docs/math.md §5: scheme B, k = 128, W_x + W_r of a 512-cell layer with 512 inputs = 655,360.
        int count = new LowRankGateMatrix(2048, 512, 128).ParameterCount * 2;
        Assert.Equal(655_360, count);
    }
}
