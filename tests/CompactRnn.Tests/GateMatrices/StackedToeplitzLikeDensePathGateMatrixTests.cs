using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>The contract suite for stacked Toeplitz-like blocks with the dense form forced at every batch size.</summary>
public sealed class StackedToeplitzLikeDensePathGateMatrixTests : GateMatrixContractTests
{
    protected override GateMatrix Create(int outputSize, int inputSize)
        => new StackedToeplitzLikeGateMatrix(outputSize, inputSize, displacementRank: Math.Min(2, Math.Min(outputSize, inputSize))) { DenseBatchThreshold = 1 };
}
