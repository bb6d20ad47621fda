using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>The contract suite for <see cref="DenseGateMatrix"/>.</summary>
public sealed class DenseGateMatrixTests : GateMatrixContractTests
{
    protected override GateMatrix Create(int outputSize, int inputSize) => new DenseGateMatrix(outputSize, inputSize);
}
