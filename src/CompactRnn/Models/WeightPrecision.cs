using System.Diagnostics.CodeAnalysis;

namespace CompactRnn.Models;

/// <summary>How a <see cref="StreamingSession"/> stores the weights it streams from memory at every step.</summary>
public enum WeightPrecision
{
    /// <summary>The model's own float32 parameters (exact; the default).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Float32 names the storage format, as BFloat16 does.")]
    Float32,

    /// <summary>
    /// Dense gate, projection and output weight matrices rounded once to bfloat16 (round to nearest, ties to
    /// even: relative error ≤ 2⁻⁸ per weight) and widened to float32 in registers; all arithmetic, biases,
    /// peepholes, state and compact (non-dense) matrices stay float32, except a compact matrix whose dense form at bf16 is
    /// no larger than its float32 parameters, which is packed as that dense form. Halves the bytes a memory-bound
    /// batch-1 step reads, at an accuracy cost of the order of 2⁻⁸ relative in the pre-activations.
    /// </summary>
    BFloat16,

    /// <summary>
    /// Dense gate, projection and output weight matrices quantized once to int8 with one float32 scale per row
    /// (symmetric: <c>s_i = max_p |W_ip| / 127</c>, <c>q_ip = round(W_ip / s_i)</c>, each weight off by at most s_i/2);
    /// each product rounds its input vector to 7 bits (<c>x̂_p = lo + σ·a_p</c>, a_p ∈ [0, 127], lo and σ from the
    /// vector's range, each entry off by at most about σ/2) and runs as an exact integer dot product, scaled back per
    /// row. Biases, peepholes, state, the gate nonlinearities and compact (non-dense) matrices stay float32, except a
    /// compact matrix whose dense form at int8 is no larger than its float32 parameters (m·n ≤ 4·parameters), which is
    /// packed as that dense form. A quarter of the float32 bytes per batch-1 step; the error bound is in docs/math.md §15.
    /// </summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Int8 names the storage format, as Float32 does.")]
    Int8,
}
