using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Layers;

/// <summary>
/// Square Toeplitz-like blocks of side s = min(m, n) stacked along the longer side (docs/math.md §10 option 2,
/// <see cref="StackedToeplitzLikeGateMatrix"/>): ⌈max(m, n)/s⌉·2·r·s parameters, r clamped to s when built.
/// Text form <c>toeplitz-stacked:r=R</c>.
/// </summary>
public sealed record StackedToeplitzLikeGateMatrixSpec : GateMatrixSpec
{
    /// <summary>The kind's name in text form.</summary>
    public const string Name = "toeplitz-stacked";

    /// <summary>Creates the spec.</summary>
    /// <param name="displacementRank">r of every block, in [1, 2²⁰].</param>
    public StackedToeplitzLikeGateMatrixSpec(int displacementRank) => DisplacementRank = RequireSize(displacementRank, nameof(displacementRank));

    /// <summary>r as given (before clamping to a shape).</summary>
    public int DisplacementRank { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    internal override char? SizeKey => 'r';

    /// <inheritdoc />
    internal override int Size => DisplacementRank;

    /// <inheritdoc />
    internal override int EffectiveSize(long outputSize, long inputSize, long gateCount) => (int)Math.Min(DisplacementRank, Math.Min(outputSize, inputSize));

    /// <inheritdoc />
    private protected override GateMatrixSpec WithSize(int size) => new StackedToeplitzLikeGateMatrixSpec(size);

    /// <inheritdoc />
    internal override GateMatrix Build(int outputSize, int inputSize, int gateCount, bool denseForm, GateMatrixInit init = GateMatrixInit.VariancePreserving)
        => new StackedToeplitzLikeGateMatrix(outputSize, inputSize, EffectiveSize(outputSize, inputSize, gateCount), denseForm, init);

    /// <inheritdoc />
    internal override GateMatrixFootprint Footprint(long outputSize, long inputSize, long gateCount)
    {
        long side = Math.Min(outputSize, inputSize), r = EffectiveSize(outputSize, inputSize, gateCount), blocks = (Math.Max(outputSize, inputSize) + side - 1) / side;
        return new(checked(blocks * 2 * r * side), checked(blocks * GateMatrixFootprint.Spectra(r, side)), GateMatrixFootprint.DenseForm(outputSize, inputSize, side),
            checked(((GateMatrixFootprint.PlanFloatsPerLength + 4) * side) + (blocks * 4 * side)));
    }
}
