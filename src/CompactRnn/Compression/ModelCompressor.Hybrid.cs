using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Models;

namespace CompactRnn.Compression;

/// <content>The paper's hybrid, fitted from a trained dense model.</content>
public static partial class ModelCompressor
{
    /// <summary>
    /// Compresses a trained model to the hybrid of Lu, Sindhwani and Sainath (ICASSP 2016): Toeplitz-like
    /// bottom layers and shared low-rank top layers, the same layout as the spec
    /// <c>toeplitz:r=R x(B−1) | toeplitz:r=R,p=K x1 | shared-lowrank:k=K x(L−B)</c>.
    /// </summary>
    /// <remarks>
    /// Two fits in sequence, each described on its own method:
    /// <list type="number">
    /// <item><see cref="ToSharedLowRank"/> with rank K on layers B−1 … L−1 (the last Toeplitz-like layer and every
    /// layer above it), so each of them projects to a K-value r_t that its recurrence and its consumer share;</item>
    /// <item><see cref="ToToeplitzLike(LstmModel, RankRule, ToeplitzFitOptions, IReadOnlyCollection{int}?, CompressedMatrices)"/> with displacement rank R on W_x and W_r of layers 0 … B−1, fitted
    /// (by the overload without a fit) by truncated SVD of each (already refitted) matrix's displacement.</item>
    /// </list>
    /// A model fitted this way is a starting point for fine-tuning: at small R the Toeplitz-like fit keeps only
    /// the leading part of each matrix's displacement, while the shared low-rank layers keep most of the dense
    /// model's function.
    /// </remarks>
    /// <param name="source">The trained model (any kinds; usually dense).</param>
    /// <param name="displacementRank">R of every Toeplitz-like matrix.</param>
    /// <param name="sharedRank">K of every shared low-rank layer.</param>
    /// <param name="toeplitzLayers">B, the number of bottom layers made Toeplitz-like, in [1, L].</param>
    public static LstmModel ToHybrid(LstmModel source, int displacementRank, int sharedRank, int toeplitzLayers)
        => ToHybrid(source, displacementRank, sharedRank, toeplitzLayers, ToeplitzFitOptions.Default);

    /// <summary>
    /// As <see cref="ToHybrid(LstmModel, int, int, int)"/>, with the Toeplitz-like layers fitted by <paramref name="fit"/>
    /// (docs/math.md §14). The activation fit's targets are the pre-activations of the model after the shared low-rank
    /// step, the model whose matrices it replaces.
    /// </summary>
    /// <param name="source">The trained model (any kinds; usually dense).</param>
    /// <param name="displacementRank">R of every Toeplitz-like matrix.</param>
    /// <param name="sharedRank">K of every shared low-rank layer.</param>
    /// <param name="toeplitzLayers">B, the number of bottom layers made Toeplitz-like, in [1, L].</param>
    /// <param name="fit">The Toeplitz-like fit and its data.</param>
    public static LstmModel ToHybrid(LstmModel source, int displacementRank, int sharedRank, int toeplitzLayers, ToeplitzFitOptions fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(source);
        int count = source.Network.Layers.Count;
        if (toeplitzLayers < 1 || toeplitzLayers > count)
        {
            throw new ArgumentOutOfRangeException(nameof(toeplitzLayers), toeplitzLayers, $"The number of Toeplitz-like bottom layers must be in [1, {count}].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(displacementRank, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sharedRank, 1);
        fit.Validate(nameof(fit));
        IReadOnlyCollection<int> shared = Enumerable.Range(toeplitzLayers - 1, count - toeplitzLayers + 1).ToArray();
        LstmModel projected = ToSharedLowRank(source, RankRule.Fixed(sharedRank), shared);
        return ToToeplitzLike(projected, RankRule.Fixed(displacementRank), fit, Enumerable.Range(0, toeplitzLayers).ToArray());
    }
}
