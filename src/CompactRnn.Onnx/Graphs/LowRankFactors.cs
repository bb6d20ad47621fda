namespace CompactRnn.Onnx.Graphs;

/// <summary>
/// The factors of a stacked low-rank gate matrix W = U·V (docs/math.md §5 scheme B): U [m, k] and V [k, n], row-major.
/// Exported as two MatMuls, x·Vᵀ then ·Uᵀ, so the graph keeps the k(m + n) parameters instead of m·n.
/// </summary>
internal sealed record LowRankFactors(float[] U, float[] V, int Rank);
