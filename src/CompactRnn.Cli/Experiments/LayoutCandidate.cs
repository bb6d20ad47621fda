using System;
using System.Globalization;
using CompactRnn.Compression;
using CompactRnn.Models;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// One way to compress an L-layer dense model: a kind per layer and its ranks. The same candidate describes a model
/// trained from scratch (<see cref="Spec"/>) and one compressed from a trained dense model (<see cref="Compress"/>).
/// </summary>
/// <param name="Kind">The kind of layout.</param>
/// <param name="Spec">The layer spec (sizes from the preset's or source model's defaults).</param>
/// <param name="Rank">Rank k (low-rank, shared), shared rank K (hybrid), or 0.</param>
/// <param name="DisplacementRank">Displacement rank r (Toeplitz-like, hybrid), or 0.</param>
/// <param name="ToeplitzLayers">Hybrid: how many bottom layers are Toeplitz-like.</param>
internal sealed record LayoutCandidate(LayoutKind Kind, string Spec, int Rank, int DisplacementRank, int ToeplitzLayers)
{
    /// <summary>A short label, e.g. <c>hybrid t=1 r=2 k=40</c>.</summary>
    public string Label => Kind switch
    {
        LayoutKind.Hybrid => Invariant($"hybrid t={ToeplitzLayers} r={DisplacementRank} k={Rank}"),
        LayoutKind.ToeplitzLike => Invariant($"toeplitz r={DisplacementRank}"),
        _ => Invariant($"{Kind.Name()} k={Rank}"),
    };

    /// <summary>The spec of a hybrid: <paramref name="toeplitzLayers"/> Toeplitz-like bottom layers (the last one projecting to K), shared low-rank above.</summary>
    public static string HybridSpec(int layers, int toeplitzLayers, int displacementRank, int sharedRank)
    {
        int top = layers - toeplitzLayers;
        string last = Invariant($"toeplitz:r={displacementRank},p={sharedRank} x1");
        string bottom = toeplitzLayers == 1 ? last : Invariant($"toeplitz:r={displacementRank} x{toeplitzLayers - 1} | ") + last;
        return top == 0 ? bottom : bottom + Invariant($" | shared-lowrank:k={sharedRank} x{top}");
    }

    /// <summary>Whether the layout has Toeplitz-like layers, the only ones a <see cref="LayoutFit"/> changes.</summary>
    public bool HasToeplitzLayers => Kind is LayoutKind.ToeplitzLike or LayoutKind.Hybrid;

    /// <summary>
    /// Compresses a trained dense model into this layout: truncated SVD (low-rank), truncated SVD with a least-squares
    /// refit (shared low-rank), and <paramref name="fit"/> for the Toeplitz-like layers (docs/math.md §14).
    /// </summary>
    public LstmModel Compress(LstmModel dense, LayoutFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return Kind switch
        {
            LayoutKind.LowRank => ModelCompressor.ToLowRank(dense, RankRule.Fixed(Rank)),
            LayoutKind.SharedLowRank => ModelCompressor.ToSharedLowRank(dense, RankRule.Fixed(Rank)),
            LayoutKind.ToeplitzLike => ModelCompressor.ToToeplitzLike(dense, RankRule.Fixed(DisplacementRank), fit.Options()),
            LayoutKind.Hybrid => ModelCompressor.ToHybrid(dense, DisplacementRank, Rank, ToeplitzLayers, fit.Options()),
            _ => throw new InvalidOperationException($"Unknown layout kind {Kind}."),
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
