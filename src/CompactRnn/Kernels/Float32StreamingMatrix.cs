using System;

namespace CompactRnn.Kernels;

/// <summary>
/// An immutable m×n float32 matrix packed once for the streaming GEMV <c>y += W·x</c>: the float32 twin of
/// <see cref="BFloat16Matrix"/> (same row groups, column blocks and kernel), with exact weights.
/// </summary>
/// <remarks>
/// <para><b>Storage.</b> A row's pair is 2L consecutive floats, columns in order.</para>
/// <para><b>Memory.</b> A copy of the weights: 4·⌈m/4⌉·PaddedColumns floats, i.e. the float32 size of the
/// matrix plus at most three zero rows and 2L − 1 zero columns.</para>
/// </remarks>
internal sealed class Float32StreamingMatrix : PackedStreamingMatrix<float, Float32Pairs>
{
    /// <summary>Packs [left | right] row by row.</summary>
    /// <param name="rows">m, at least 1.</param>
    /// <param name="left">The first columns of every row, row-major.</param>
    /// <param name="leftColumns">Columns of <paramref name="left"/>.</param>
    /// <param name="right">The remaining columns of every row, row-major, or empty.</param>
    /// <param name="rightColumns">Columns of <paramref name="right"/>; n = leftColumns + rightColumns ≥ 1.</param>
    /// <param name="lanes">Float lanes of the kernel width (16, 8, 4 or 1); 0 picks the widest accelerated.</param>
    public Float32StreamingMatrix(int rows, ReadOnlySpan<float> left, int leftColumns, ReadOnlySpan<float> right, int rightColumns, int lanes = 0)
        : base(rows, left, leftColumns, right, rightColumns, lanes)
    {
    }
}
