using System.Collections.Generic;
using CompactRnn.Models;

namespace CompactRnn.Compression;

/// <summary>How <see cref="ModelCompressor.ToToeplitzLike(LstmModel, RankRule, ToeplitzFitOptions, IReadOnlyCollection{int}?, CompressedMatrices)"/>
/// chooses the generators G, H of each Toeplitz-like matrix of displacement rank r (docs/math.md §9 and §14).</summary>
public enum ToeplitzFit
{
    /// <summary>Truncated SVD of the displacement <c>Z_1 W − W Z_{−1}</c>: the best rank-r fit of L[W], whose error in
    /// W itself is not controlled (it can exceed ‖W‖).</summary>
    DisplacementSvd = 0,

    /// <summary>The rank-k truncated SVD of W with k = ⌊r/2⌋, embedded exactly: a rank-k matrix has displacement rank
    /// ≤ 2k and its generators follow in closed form from the factors (docs/math.md §14.1).</summary>
    Exact = 1,

    /// <summary>Least squares on the gate pre-activations over sample utterances: minimise
    /// Σ_t ‖M z_t − W z_t‖² with z_t = [x_t; r_{t−1}] from the source model, by L-BFGS on (G, H) from the better of the
    /// exact and displacement-SVD starts (docs/math.md §14.2).</summary>
    Activations = 2,
}
