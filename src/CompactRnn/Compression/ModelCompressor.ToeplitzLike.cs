using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;
using MathNet.Numerics.LinearAlgebra;

namespace CompactRnn.Compression;

/// <content>Toeplitz-like compression (docs/math.md §9–§10, scheme D).</content>
public static partial class ModelCompressor
{
    /// <summary>
    /// Replaces W_x and/or W_r of the chosen layers by <see cref="ToeplitzLikeGateMatrix"/>es of displacement
    /// rank r fitted to the trained matrices (docs/math.md §9, "initialise from a dense W").
    /// </summary>
    /// <remarks>
    /// <para>Each m×n matrix W is embedded in the top-left corner of an N×N zero matrix W̃, N = max(m, n)
    /// (docs/math.md §10 option 1, as the class does). Its displacement <c>L = Z_1 W̃ − W̃ Z_{−1}</c> is computed
    /// entrywise (<c>L_ik = W̃_{(i−1) mod N, k} − W̃_{i, k+1}</c>, with <c>−W̃_{i,k+1}</c> read as <c>+W̃_{i,0}</c> for
    /// k = N−1) and truncated by SVD, <c>L ≈ U_r Σ_r V_rᵀ</c>. The generators are <c>G = U_r Σ_r^{½}</c>,
    /// <c>H = V_r Σ_r^{½}</c>, so <c>G Hᵀ</c> is the best rank-r approximation of L.</para>
    /// <para><b>Convention.</b> <see cref="ToeplitzLikeGateMatrix"/> stores M = ½ Σ_j Z_1(g_j) Z_{−1}(J h_j), and for
    /// that form <c>Z_1 M − M Z_{−1} = G Hᵀ</c> holds exactly: the ½ and the reversal J are part of the
    /// class's reconstruction formula, not of the generators, so G and H go in unscaled and unreversed.
    /// The storage is G then H, each [r, N] row-major with row j the column g_j (resp. h_j). The
    /// displacement operator is invertible for square N (the spectra of Z_1 and Z_{−1} are disjoint), so at
    /// r = N the reconstruction equals W̃ up to rounding; below N the error is that of inverting the
    /// truncated displacement, which is small in L but can be amplified by up to about N/π in M.</para>
    /// <para><b>Padding bounds the rank.</b> For a tall W (n &lt; N) only n + 1 columns of L are non-zero (n from
    /// Z_1 W̃ and the wrap-around column of W̃ Z_{−1}), for a wide W only m + 1 rows, so r = min(m, n) + 1 is
    /// already exact and an explained-variance rule never goes above it. Such a fit costs 2·N·r parameters, more
    /// than m·n; savings need r well below min(m, n).</para>
    /// </remarks>
    /// <param name="source">The trained model.</param>
    /// <param name="displacementRank">r per matrix (fixed, or from τ on the displacement's singular values);
    /// a fixed r above N = max(m, n) of any chosen matrix throws.</param>
    /// <param name="layers">The layers to compress; null for all.</param>
    /// <param name="matrices">Which of W_x and W_r to compress.</param>
    public static LstmModel ToToeplitzLike(LstmModel source, RankRule displacementRank, IReadOnlyCollection<int>? layers = null,
        CompressedMatrices matrices = CompressedMatrices.InputAndRecurrent)
    {
        ArgumentNullException.ThrowIfNull(displacementRank);
        return ReplaceGateMatrices(source, layers, matrices, (dense, name) => ToeplitzLike(dense, displacementRank, name, nameof(displacementRank)));
    }

    /// <summary>
    /// As <see cref="ToToeplitzLike(LstmModel, RankRule, IReadOnlyCollection{int}?, CompressedMatrices)"/>, with the fit
    /// chosen by <paramref name="fit"/> (docs/math.md §14): the displacement SVD, the exact embedding of the rank-⌊r/2⌋
    /// truncated SVD, or the activation fit on sample utterances.
    /// </summary>
    /// <remarks>
    /// <para><see cref="ToeplitzFit.Exact"/>: a fixed r gives k = ⌊r/2⌋ (an odd r leaves one generator pair at 0; r = 1
    /// throws, as k would be 0); τ chooses k on W's own singular values and r = min(2k, N).</para>
    /// <para><see cref="ToeplitzFit.Activations"/>: r as for the displacement SVD; each chosen layer's W_x and/or W_r are
    /// fitted jointly to the source layer's gate pre-activations, with the layer's inputs taken from the source model.</para>
    /// </remarks>
    /// <param name="source">The trained model.</param>
    /// <param name="displacementRank">r per matrix (fixed, or from τ).</param>
    /// <param name="fit">The fit and, for <see cref="ToeplitzFit.Activations"/>, its utterances.</param>
    /// <param name="layers">The layers to compress; null for all.</param>
    /// <param name="matrices">Which of W_x and W_r to compress.</param>
    public static LstmModel ToToeplitzLike(LstmModel source, RankRule displacementRank, ToeplitzFitOptions fit, IReadOnlyCollection<int>? layers = null,
        CompressedMatrices matrices = CompressedMatrices.InputAndRecurrent)
    {
        ArgumentNullException.ThrowIfNull(displacementRank);
        ArgumentNullException.ThrowIfNull(fit);
        fit.Validate(nameof(fit));
        return fit.Method switch
        {
            ToeplitzFit.DisplacementSvd => ToToeplitzLike(source, displacementRank, layers, matrices),
            ToeplitzFit.Exact => ReplaceGateMatrices(source, layers, matrices, (dense, name) => ExactToeplitzLike(dense, displacementRank, name, nameof(displacementRank))),
            _ => FitActivations(source, displacementRank, fit, layers, matrices),
        };
    }

    /// <summary>The displacement <c>Z_1 W̃ − W̃ Z_{−1}</c> of W embedded top-left in N×N zeros.</summary>
    internal static Matrix<double> Displacement(Matrix<double> dense, int size)
    {
        Matrix<double> embedded = Matrix<double>.Build.Dense(size, size);
        embedded.SetSubMatrix(0, 0, dense);
        Matrix<double> displacement = Matrix<double>.Build.Dense(size, size);
        for (int i = 0; i < size; i++)
        {
            int above = i == 0 ? size - 1 : i - 1; // (Z_1 W̃)_i = W̃_{(i−1) mod N}: cyclic down-shift of the rows
            for (int k = 0; k < size; k++)
            {
                // (W̃ Z_{−1})_{ik} = W̃_{i,k+1}, and −W̃_{i,0} in the last column (the skew wrap-around).
                double shifted = k + 1 < size ? embedded[i, k + 1] : -embedded[i, 0];
                displacement[i, k] = embedded[above, k] - shifted;
            }
        }

        return displacement;
    }

    private static (float[] Parameters, GateMatrixSpec Spec) ToeplitzLike(Matrix<double> dense, RankRule rule, string name, string parameterName)
    {
        int size = Math.Max(dense.RowCount, dense.ColumnCount);
        (Matrix<double> left, double[] sigma, Matrix<double> right) = DisplacementSvd(dense, size);
        int rank = rule.Select(sigma, size, name, parameterName);
        float[] parameters = new float[2 * rank * size];
        for (int j = 0; j < Math.Min(rank, sigma.Length); j++) // generators beyond the non-zero part stay 0
        {
            double root = Math.Sqrt(sigma[j]);
            for (int i = 0; i < size; i++)
            {
                parameters[(j * size) + i] = (float)(left[i, j] * root);            // g_j = √σ_j·u_j
                parameters[((rank + j) * size) + i] = (float)(right[i, j] * root);  // h_j = √σ_j·v_j
            }
        }

        return (parameters, new GateMatrixSpec("toeplitz", rank));
    }

    /// <summary>
    /// The SVD of the embedded displacement, U (N×p), σ (p), V (N×p). A padded W has only min(m, n) + 1
    /// non-zero columns (tall) or rows (wide) of L, so only that N×(n+1) or (m+1)×N part is decomposed and
    /// the singular vectors are scattered back: for a 4n_c×n_c stack this is a thin SVD of n_c + 1 columns
    /// instead of a full 4n_c×4n_c one.
    /// </summary>
    private static (Matrix<double> Left, double[] Sigma, Matrix<double> Right) DisplacementSvd(Matrix<double> dense, int size)
    {
        Matrix<double> displacement = Displacement(dense, size);
        int m = dense.RowCount, n = dense.ColumnCount;
        if (m == n)
        {
            ThinSvd full = ThinSvd.Of(displacement);
            return (full.Left, full.SingularValues, full.Right);
        }

        // Tall: columns 0..n−1 and N−1. Wide: rows 0..m.
        int[] kept = m > n ? [.. Enumerable.Range(0, n), size - 1] : [.. Enumerable.Range(0, m + 1)];
        Matrix<double> part = m > n
            ? Matrix<double>.Build.Dense(size, kept.Length, (i, c) => displacement[i, kept[c]])
            : Matrix<double>.Build.Dense(kept.Length, size, (r, k) => displacement[kept[r], k]);
        ThinSvd svd = ThinSvd.Of(part);
        int p = svd.SingularValues.Length;
        Matrix<double> scattered = Matrix<double>.Build.Dense(size, p);
        Matrix<double> compact = m > n ? svd.Right : svd.Left;
        for (int c = 0; c < kept.Length; c++)
        {
            scattered.SetRow(kept[c], compact.Row(c));
        }

        return m > n ? (svd.Left, svd.SingularValues, scattered) : (scattered, svd.SingularValues, svd.Right);
    }
}
