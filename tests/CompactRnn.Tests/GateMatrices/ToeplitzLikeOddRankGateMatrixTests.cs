using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>The contract suite again with displacement rank min(3, N): one generator pair plus a lone generator.</summary>
public sealed class ToeplitzLikeOddRankGateMatrixTests : GateMatrixContractTests
{
    protected override GateMatrix Create(int outputSize, int inputSize)
        => new ToeplitzLikeGateMatrix(outputSize, inputSize, displacementRank: Math.Min(3, Math.Max(outputSize, inputSize)));
}
