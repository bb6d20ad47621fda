using System;
using CompactRnn.Compression;

namespace CompactRnn.Tests.Compression;

public sealed class RankSelectionTests
{
    [Theory]
    [InlineData(0.5, 1)]   // 9/14 = 0.643
    [InlineData(0.642, 1)]
    [InlineData(0.65, 2)]  // 13/14 = 0.929
    [InlineData(0.93, 3)]
    [InlineData(1.0, 3)]
    public void ForExplainedVariance_KnownSpectrum_ReturnsSmallestRankReachingTau(double threshold, int expected)
    {
        Assert.Equal(expected, RankSelection.ForExplainedVariance([3, 2, 1], threshold));
    }

    [Fact]
    public void ForExplainedVariance_UnsortedWithZeros_SortsAndStopsAtLastNonZero()
    {
        Assert.Equal(2, RankSelection.ForExplainedVariance([0, 1, 0, 2], 1.0));
        Assert.Equal(1, RankSelection.ForExplainedVariance([0, 1, 0, 2], 0.8)); // 4/5
    }

    [Fact]
    public void ForExplainedVariance_FlatSpectrum_IsProportional()
    {
        double[] flat = new double[10];
        Array.Fill(flat, 0.3);
        Assert.Equal(7, RankSelection.ForExplainedVariance(flat, 0.7));
    }

    [Fact]
    public void ForExplainedVariance_AllZero_ReturnsOne()
    {
        Assert.Equal(1, RankSelection.ForExplainedVariance([0, 0, 0], 0.9));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.0001)]
    [InlineData(double.NaN)]
    public void ForExplainedVariance_ThresholdOutsideUnitInterval_ThrowsNamingIt(double threshold)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RankSelection.ForExplainedVariance([1, 1], threshold));
        Assert.Equal("threshold", error.ParamName);
        var ruleError = Assert.Throws<ArgumentOutOfRangeException>(() => RankRule.ExplainedVariance(threshold));
        Assert.Equal("threshold", ruleError.ParamName);
    }

    [Fact]
    public void ForExplainedVariance_NegativeSingularValue_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RankSelection.ForExplainedVariance([1, -1], 0.5));
        Assert.Equal("singularValues", error.ParamName);
    }

    [Fact]
    public void Fixed_RankBelowOne_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RankRule.Fixed(0));
        Assert.Equal("rank", error.ParamName);
    }

    [Theory]
    [InlineData(50, 4)]  // 12 per rank, capped at min(8, 4)
    [InlineData(30, 2)]
    [InlineData(12, 1)]
    public void ForLowRankBudget_Stacked_ReturnsLargestFittingRank(long budget, int expected)
    {
        Assert.Equal(expected, RankSelection.ForLowRankBudget(8, 4, budget));
    }

    [Fact]
    public void ForLowRankBudget_PerGate_CountsEveryGroupsRightFactor()
    {
        // G·k·(m/G + n) = k·(8 + 4·4) = 24k.
        Assert.Equal(2, RankSelection.ForLowRankBudget(8, 4, 71, groupCount: 4));
    }

    [Fact]
    public void ForToeplitzLikeBudget_CountsTwoGeneratorsOfLengthN()
    {
        Assert.Equal(2, RankSelection.ForToeplitzLikeBudget(8, 4, 33)); // 16 per rank
    }

    [Fact]
    public void ForParameterBudget_BelowRankOne_ThrowsNamingTheBudget()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RankSelection.ForLowRankBudget(8, 4, 11));
        Assert.Equal("parameterBudget", error.ParamName);
    }

    [Fact]
    public void ForParameterBudget_FixedPart_IsSubtracted()
    {
        Assert.Equal(3, RankSelection.ForParameterBudget(parameterBudget: 100, parametersPerRank: 20, maxRank: 10, fixedParameters: 40));
    }
}
