using System;

namespace CompactRnn.Parameters;

/// <summary>
/// Learning-rate multipliers that make one sign-like optimiser step (Adam's first steps move every parameter by about
/// ±η) move a structured matrix's dense equivalent M by about as much as it moves a dense m×n matrix, whose step has
/// Frobenius norm η·√(m·n) (docs/math.md §13).
/// </summary>
/// <remarks>
/// For a sign step Δθ = −η·α·sign(Jᵀ D) with Jacobian J = ∂M/∂θ and an upstream gradient D with independent entries,
/// the arcsine law for the signs of correlated Gaussians, linearised, gives (derived in docs/math.md §13)
/// <code>E‖ΔM‖² / (η² m n) = α² · [ (1 − 2/π)·Σ_p ‖J_p‖² + (2/π)·Σ_{p,q} ⟨J_p, J_q⟩² / (‖J_p‖·‖J_q‖) ] / (m n)</code>
/// and each kind's multiplier is the reciprocal square root of that bracket at its initial scale, so the ratio is 1.
/// </remarks>
internal static class StepScale
{
    private const double TwoOverPi = 2.0 / Math.PI;

    /// <summary>
    /// The multiplier of both generators of a square N×N Toeplitz-like matrix of displacement rank r whose generator
    /// entries have variance σ²: <c>α = [N·σ²·(r/2 + 2r²/(3π))]^(−½)</c>.
    /// </summary>
    /// <param name="size">N, the side of the square Toeplitz-like matrix (of the embedding or of one stacked block).</param>
    /// <param name="rank">r.</param>
    /// <param name="generatorVariance">σ², the variance of each entry of G and H at initialisation.</param>
    public static float ToeplitzLike(int size, int rank, double generatorVariance)
    {
        double bracket = size * generatorVariance * ((rank / 2.0) + (TwoOverPi * rank * rank / 3.0));
        return (float)(1.0 / Math.Sqrt(bracket));
    }

    /// <summary>
    /// The common multiplier of both factors of an m×n low-rank matrix W = U·V (U ∈ R^{m×k}, V ∈ R^{k×n}) whose factor
    /// entries have variances u² and v² at initialisation (docs/math.md §13, low-rank case).
    /// </summary>
    /// <param name="rows">m.</param>
    /// <param name="columns">n.</param>
    /// <param name="rank">k.</param>
    /// <param name="leftVariance">u², the variance of each entry of U.</param>
    /// <param name="rightVariance">v², the variance of each entry of V.</param>
    /// <param name="semiOrthogonal">True when U has orthonormal columns and V orthonormal rows (scaled): then
    /// tr((VᵀV)²) = k n² v⁴ and tr((UUᵀ)²) = k m² u⁴ exactly, in place of the Wishart moments.</param>
    public static float LowRank(int rows, int columns, int rank, double leftVariance, double rightVariance, bool semiOrthogonal = false)
    {
        double m = rows, n = columns, k = rank, u2 = leftVariance, v2 = rightVariance;

        // Per-parameter Jacobian norms: ‖∂W/∂U_ia‖ = ‖V_a·‖ ≈ √(n v²), ‖∂W/∂V_aj‖ = ‖U_·a‖ ≈ √(m u²).
        double normU = Math.Sqrt(n * v2), normV = Math.Sqrt(m * u2);

        // Σ_p ‖J_p‖² = m k · n v² + k n · m u².
        double squares = (m * k * n * v2) + (k * n * m * u2);

        // Σ_{p,q} ⟨J_p, J_q⟩²/(‖J_p‖‖J_q‖) = ‖E ↦ E·VᵀV/‖J_U‖ + U Uᵀ·E/‖J_V‖‖² (a Kronecker sum), with the Wishart moments
        // tr((VᵀV)²) ≈ k n v⁴ (n + k), tr((UUᵀ)²) ≈ k m u⁴ (m + k), tr(VᵀV) = k n v², tr(UUᵀ) = k m u².
        double a = 1.0 / normU, b = 1.0 / normV;
        double nMoment = semiOrthogonal ? n : n + k, mMoment = semiOrthogonal ? m : m + k;
        double correlated = (m * k * n * v2 * v2 * nMoment * a * a)
            + (n * k * m * u2 * u2 * mMoment * b * b)
            + (2.0 * a * b * (k * n * v2) * (k * m * u2));
        double bracket = (((1.0 - TwoOverPi) * squares) + (TwoOverPi * correlated)) / (m * n);
        return (float)(1.0 / Math.Sqrt(bracket));
    }
}
