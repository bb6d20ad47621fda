using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>The contract suite for the per-gate low-rank kind (scheme A): one U·V per gate block.</summary>
public sealed class PerGateLowRankGateMatrixTests : GateMatrixContractTests
{
    protected override GateMatrix Create(int outputSize, int inputSize)
    {
        int groups = outputSize % 4 == 0 ? 4 : 1;
        return new LowRankGateMatrix(outputSize, inputSize, rank: Math.Min(2, Math.Min(outputSize / groups, inputSize)), groupCount: groups);
    }

    [Fact]
    public void ParameterCount_MatchesMathReference()
    {
        // docs/math.md §5: scheme A, k = 64, W_x + W_r of a 512-cell layer with 512 inputs = 524,288.
        int count = new LowRankGateMatrix(2048, 512, 64, groupCount: 4).ParameterCount * 2;
        Assert.Equal(524_288, count);
    }

    [Fact]
    public void Constructor_GroupsNotDividingRows_ThrowsNamingGroupCount()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LowRankGateMatrix(10, 6, 1, groupCount: 4));
        Assert.Equal("groupCount", error.ParamName);
    }
}
