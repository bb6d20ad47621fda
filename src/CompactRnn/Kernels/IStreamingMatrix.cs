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

    /// <summary>
    /// <c>Y[k, i] += Σ_p W[i, p]·X[k, p]</c> for <paramref name="count"/> rows of a batch, each row as
    /// <see cref="MultiplyAdd"/> computes it (the same bits). This default runs the rows one by one; a pack whose kernel
    /// can share a weight load between rows does so.
    /// </summary>
    /// <param name="x">Row k at <c>k·xStride</c>: <see cref="PaddedColumns"/> floats, zero past <see cref="Columns"/>.</param>
    /// <param name="xStride">Floats between rows of <paramref name="x"/>, at least <see cref="PaddedColumns"/>.</param>
    /// <param name="y">Row k at <c>k·yStride</c>: at least m floats; added to.</param>
    /// <param name="yStride">Floats between rows of <paramref name="y"/>, at least m.</param>
    /// <param name="count">Rows.</param>
    void MultiplyAddRows(ReadOnlySpan<float> x, int xStride, Span<float> y, int yStride, int count)
    {
        for (int k = 0; k < count; k++)
        {
            MultiplyAdd(x.Slice(k * xStride, PaddedColumns), y.Slice(k * yStride, Rows));
        }
    }
}
