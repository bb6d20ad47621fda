using System;

namespace CompactRnn.Kernels;

/// <summary>
/// An immutable m×n matrix packed once for the batch-1 streaming GEMV <c>y += W·x</c>, in row groups of four
/// and column blocks of twice the vector width, so that the whole matrix is one sequential stream.
/// </summary>
internal interface IStreamingMatrix
{
    /// <summary>m.</summary>
    int Rows { get; }

    /// <summary>n (all packed parts together).</summary>
    int Columns { get; }

    /// <summary>The length x must have: n rounded up as the packing needs (a whole block; n itself for int8, which pads its rounded bytes instead); entries past n must be zero (finite).</summary>
    int PaddedColumns { get; }

    /// <summary>Bytes of packed weights (what one product streams from memory).</summary>
    long Bytes { get; }

    /// <summary><c>y[i] += Σ_p W[i, p]·x[p]</c> for i &lt; m.</summary>
    /// <param name="x"><see cref="PaddedColumns"/> floats, zero past <see cref="Columns"/>.</param>
    /// <param name="y">At least m floats; added to.</param>
    void MultiplyAdd(ReadOnlySpan<float> x, Span<float> y);
}
