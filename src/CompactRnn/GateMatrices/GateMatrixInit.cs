namespace CompactRnn.GateMatrices;

/// <summary>
/// How a gate matrix draws its initial parameters (docs/math.md §9). A scheme applies to the kinds that have the
/// factors it names; every other kind keeps <see cref="VariancePreserving"/>. The step-size multipliers of
/// docs/math.md §13 are computed at the scheme's initial scale.
/// </summary>
public enum GateMatrixInit
{
    /// <summary>Text form <c>vp</c>: every entry of the dense equivalent has variance 1/(3n), whatever the kind and rank
    /// (Toeplitz-like generators with σ² = √(4/(3n)/(r·N)); low-rank U ~ U(−1/√k, 1/√k), V ~ U(−√(3/n), √(3/n))).</summary>
    VariancePreserving = 0,

    /// <summary>Text form <c>rank-scaled</c>: Toeplitz-like generators drawn from N(0, 1/(r·N)) (N the square's side), so the
    /// dense equivalent's entries have variance 1/(4·r·N) and the matrix starts smaller as r grows. Other kinds: as
    /// <see cref="VariancePreserving"/>.</summary>
    RankScaled = 1,

    /// <summary>Text form <c>orth</c>: every factor of a factorised product is semi-orthogonal (orthonormal columns or rows,
    /// scaled to the variances of <see cref="VariancePreserving"/>): low-rank U and V, a shared factor V and its U_c, and an
    /// LSTMP layer's projection W_p (the shared right factor of docs/math.md §5 scheme C). Toeplitz-like and dense gate
    /// matrices: as <see cref="VariancePreserving"/>.</summary>
    SemiOrthogonal = 2,
}
