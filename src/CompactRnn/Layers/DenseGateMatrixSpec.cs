using CompactRnn.GateMatrices;

namespace CompactRnn.Layers;

/// <summary>A dense m×n matrix (<see cref="DenseGateMatrix"/>): m·n parameters. Text form <c>dense</c>.</summary>
public sealed record DenseGateMatrixSpec : GateMatrixSpec
{
    /// <summary>The kind's name in text form.</summary>
    public const string Name = "dense";

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    internal override char? SizeKey => null;

    /// <inheritdoc />
    internal override int Size => 0;

    /// <inheritdoc />
    internal override int EffectiveSize(long outputSize, long inputSize, long gateCount) => 0;

    /// <inheritdoc />
    private protected override GateMatrixSpec WithSize(int size) => this;

    /// <inheritdoc />
    internal override GateMatrix Build(int outputSize, int inputSize, int gateCount, bool denseForm, GateMatrixInit init = GateMatrixInit.VariancePreserving) => new DenseGateMatrix(outputSize, inputSize);

    /// <inheritdoc />
    /// <remarks>Unlike a dense gate matrix, a dense W_p takes the layer's scheme: it is a factor.</remarks>
    internal override GateMatrix BuildProjection(int outputSize, int inputSize, bool denseForm, GateMatrixInit init) => new DenseGateMatrix(outputSize, inputSize, init);

    /// <inheritdoc />
    internal override GateMatrixFootprint Footprint(long outputSize, long inputSize, long gateCount)
        => GateMatrixFootprint.Parameters(checked(outputSize * inputSize));
}
