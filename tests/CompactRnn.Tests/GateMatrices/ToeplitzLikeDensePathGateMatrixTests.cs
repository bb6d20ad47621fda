using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>
/// The contract suite again with the dense form forced at every batch size (threshold 1), displacement rank
/// min(3, N): products and gradients through the cached W and the projection of the dense gradient onto G, H.
/// </summary>
public sealed class ToeplitzLikeDensePathGateMatrixTests : GateMatrixContractTests
{
    protected override GateMatrix Create(int outputSize, int inputSize)
        => new ToeplitzLikeGateMatrix(outputSize, inputSize, displacementRank: Math.Min(3, Math.Max(outputSize, inputSize))) { DenseBatchThreshold = 1 };
}
