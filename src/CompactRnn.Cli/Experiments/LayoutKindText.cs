using System;
using CompactRnn.Layers;

namespace CompactRnn.Cli.Experiments;

/// <summary>The text of a <see cref="LayoutKind"/> at the edges (plan and row names, results and search files): the gate-matrix
/// spec's kind name for the one-kind layouts, <c>hybrid</c> for the hybrid.</summary>
internal static class LayoutKindText
{
    /// <summary>The hybrid's name.</summary>
    public const string HybridName = "hybrid";

    /// <summary>The kind's name: <c>lowrank</c>, <c>shared-lowrank</c>, <c>toeplitz</c> or <c>hybrid</c>.</summary>
    public static string Name(this LayoutKind kind) => kind switch
    {
        LayoutKind.LowRank => LowRankGateMatrixSpec.Name,
        LayoutKind.SharedLowRank => SharedLowRankGateMatrixSpec.Name,
        LayoutKind.ToeplitzLike => ToeplitzLikeGateMatrixSpec.Name,
        LayoutKind.Hybrid => HybridName,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown layout kind."),
    };

    /// <summary>The kind named <paramref name="name"/> (as <see cref="Name"/> writes it).</summary>
    /// <exception cref="FormatException">Another name; the message quotes it.</exception>
    public static LayoutKind Parse(string name) => name switch
    {
        LowRankGateMatrixSpec.Name => LayoutKind.LowRank,
        SharedLowRankGateMatrixSpec.Name => LayoutKind.SharedLowRank,
        ToeplitzLikeGateMatrixSpec.Name => LayoutKind.ToeplitzLike,
        HybridName => LayoutKind.Hybrid,
        _ => throw new FormatException($"Unknown layout kind '{name}'; expected lowrank, shared-lowrank, toeplitz or hybrid."),
    };
}
