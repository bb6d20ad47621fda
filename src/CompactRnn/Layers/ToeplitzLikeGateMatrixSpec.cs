using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Layers;

/// <summary>
/// A Toeplitz-like matrix of displacement rank r embedded in one N×N square, N = max(m, n) (docs/math.md §6,
/// scheme D, <see cref="ToeplitzLikeGateMatrix"/>): 2·r·N generator parameters, r clamped to N when built.
/// Text form <c>toeplitz:r=R</c>.
/// </summary>
public sealed record ToeplitzLikeGateMatrixSpec : GateMatrixSpec
{
    /// <summary>The kind's name in text form.</summary>
    public const string Name = "toeplitz";

    /// <summary>Creates the spec.</summary>
    /// <param name="displacementRank">r, in [1, 2²⁰].</param>
    public ToeplitzLikeGateMatrixSpec(int displacementRank) => DisplacementRank = RequireSize(displacementRank, nameof(displacementRank));

    /// <summary>r as given (before clamping to a shape).</summary>
    public int DisplacementRank { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    internal override char? SizeKey => 'r';

    /// <inheritdoc />
    internal override int Size => DisplacementRank;

    /// <inheritdoc />
    internal override int EffectiveSize(long outputSize, long inputSize, long gateCount) => (int)Math.Min(DisplacementRank, Math.Max(outputSize, inputSize));

    /// <inheritdoc />
    private protected override GateMatrixSpec WithSize(int size) => new ToeplitzLikeGateMatrixSpec(size);

    /// <inheritdoc />
    internal override GateMatrix Build(int outputSize, int inputSize, int gateCount, bool denseForm, GateMatrixInit init = GateMatrixInit.VariancePreserving)
        => new ToeplitzLikeGateMatrix(outputSize, inputSize, EffectiveSize(outputSize, inputSize, gateCount), denseForm, init);

    /// <inheritdoc />
    internal override GateMatrixFootprint Footprint(long outputSize, long inputSize, long gateCount)
    {
        long size = Math.Max(outputSize, inputSize), r = EffectiveSize(outputSize, inputSize, gateCount);
        return new(checked(2 * r * size), GateMatrixFootprint.Spectra(r, size), GateMatrixFootprint.DenseForm(outputSize, inputSize, size),
            checked((GateMatrixFootprint.PlanFloatsPerLength + 4) * size));
    }
}
