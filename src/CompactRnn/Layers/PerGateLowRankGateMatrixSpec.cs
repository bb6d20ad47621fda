using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Layers;

/// <summary>
/// One U_g·V_g per gate block (docs/math.md §5 scheme A, <see cref="LowRankGateMatrix"/> with one group per gate):
/// k·(m + g·n) parameters for g gate blocks, with k clamped to min(m/g, n) when built. Text form <c>lowrank-pergate:k=K</c>.
/// </summary>
public sealed record PerGateLowRankGateMatrixSpec : GateMatrixSpec
{
    /// <summary>The kind's name in text form.</summary>
    public const string Name = "lowrank-pergate";

    /// <summary>Creates the spec.</summary>
    /// <param name="rank">k per gate block, in [1, 2²⁰].</param>
    public PerGateLowRankGateMatrixSpec(int rank) => Rank = RequireSize(rank, nameof(rank));

    /// <summary>k per gate block as given (before clamping to a shape).</summary>
    public int Rank { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    internal override char? SizeKey => 'k';

    /// <inheritdoc />
    internal override int Size => Rank;

    /// <inheritdoc />
    internal override int EffectiveSize(long outputSize, long inputSize, long gateCount) => (int)Math.Min(Rank, Math.Min(outputSize / gateCount, inputSize));

    /// <inheritdoc />
    private protected override GateMatrixSpec WithSize(int size) => new PerGateLowRankGateMatrixSpec(size);

    /// <inheritdoc />
    internal override GateMatrix Build(int outputSize, int inputSize, int gateCount, bool denseForm, GateMatrixInit init = GateMatrixInit.VariancePreserving)
        => new LowRankGateMatrix(outputSize, inputSize, EffectiveSize(outputSize, inputSize, gateCount), gateCount, init);

    /// <inheritdoc />
    internal override GateMatrixFootprint Footprint(long outputSize, long inputSize, long gateCount)
    {
        long k = EffectiveSize(outputSize, inputSize, gateCount);
        return GateMatrixFootprint.Parameters(checked(k * (outputSize + (gateCount * inputSize))));
    }
}
