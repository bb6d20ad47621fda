using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Layers;

/// <summary>
/// W = U·V over the stacked gates (docs/math.md §5 scheme B, <see cref="LowRankGateMatrix"/>): k·(m + n)
/// parameters, with k clamped to min(m, n) when built. Text form <c>lowrank:k=K</c>.
/// </summary>
public sealed record LowRankGateMatrixSpec : GateMatrixSpec
{
    /// <summary>The kind's name in text form.</summary>
    public const string Name = "lowrank";

    /// <summary>Creates the spec.</summary>
    /// <param name="rank">k, in [1, 2²⁰]; a rank above min(m, n) builds min(m, n), so one spec serves layers of different sizes.</param>
    public LowRankGateMatrixSpec(int rank) => Rank = RequireSize(rank, nameof(rank));

    /// <summary>k as given (before clamping to a shape).</summary>
    public int Rank { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    internal override char? SizeKey => 'k';

    /// <inheritdoc />
    internal override int Size => Rank;

    /// <inheritdoc />
    internal override int EffectiveSize(long outputSize, long inputSize, long gateCount) => (int)Math.Min(Rank, Math.Min(outputSize, inputSize));

    /// <inheritdoc />
    private protected override GateMatrixSpec WithSize(int size) => new LowRankGateMatrixSpec(size);

    /// <inheritdoc />
    internal override GateMatrix Build(int outputSize, int inputSize, int gateCount, bool denseForm, GateMatrixInit init = GateMatrixInit.VariancePreserving)
        => new LowRankGateMatrix(outputSize, inputSize, EffectiveSize(outputSize, inputSize, gateCount), 1, init);

    /// <inheritdoc />
    internal override GateMatrixFootprint Footprint(long outputSize, long inputSize, long gateCount)
    {
        long k = EffectiveSize(outputSize, inputSize, gateCount);
        return GateMatrixFootprint.Parameters(checked(k * (outputSize + inputSize)));
    }
}
