using CompactRnn.GateMatrices;

namespace CompactRnn.Layers;

/// <summary>
/// A layer's projection as the shared right factor of docs/math.md §5 scheme C: r_t = P·m_t with P ∈ R^{k×n_c},
/// read by the layer's own dense W_r and by its consumer (the next layer's W_x or the output layer), so
/// W_r·P and W_x'·P are low-rank with one shared factor. Valid only as <see cref="LstmLayerOptions.Projection"/>
/// with k = <see cref="LstmLayerOptions.ProjectionSize"/> and a dense W_r; built as the dense k×n_c matrix P
/// (k·n_c parameters). Text form <c>shared-lowrank:k=K</c>, the layer kind of <c>NetworkSpec</c>.
/// </summary>
/// <remarks>
/// A layer with this projection builds exactly what a dense layer with projection size k builds; the spec
/// records that it was asked for as a shared low-rank layer, so the layer is described as what it is.
/// </remarks>
public sealed record SharedLowRankGateMatrixSpec : GateMatrixSpec
{
    /// <summary>The kind's name in text form.</summary>
    public const string Name = "shared-lowrank";

    /// <summary>Creates the spec.</summary>
    /// <param name="rank">k, the projection size, in [1, 2²⁰].</param>
    public SharedLowRankGateMatrixSpec(int rank) => Rank = RequireSize(rank, nameof(rank));

    /// <summary>k, the shared rank (the layer's projection size).</summary>
    public int Rank { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    internal override char? SizeKey => 'k';

    /// <inheritdoc />
    internal override int Size => Rank;

    /// <inheritdoc />
    internal override int EffectiveSize(long outputSize, long inputSize, long gateCount) => Rank;

    /// <inheritdoc />
    private protected override GateMatrixSpec WithSize(int size) => new SharedLowRankGateMatrixSpec(size);

    /// <inheritdoc />
    internal override GateMatrix Build(int outputSize, int inputSize, int gateCount, bool denseForm, GateMatrixInit init = GateMatrixInit.VariancePreserving) => new DenseGateMatrix(outputSize, inputSize, init); // P is a factor: it takes the factor scheme

    /// <inheritdoc />
    internal override GateMatrixFootprint Footprint(long outputSize, long inputSize, long gateCount)
        => GateMatrixFootprint.Parameters(checked(outputSize * inputSize));
}
