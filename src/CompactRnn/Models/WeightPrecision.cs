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
    /// peepholes, state and compact (non-dense) matrices stay float32. Halves the bytes a memory-bound
    /// batch-1 step reads, at an accuracy cost of the order of 2⁻⁸ relative in the pre-activations.
    /// </summary>
    BFloat16,
}
