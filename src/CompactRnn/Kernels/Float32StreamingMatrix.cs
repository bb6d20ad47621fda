using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CompactRnn.Kernels;

/// <summary>
/// An immutable m×n float32 matrix packed once for the streaming GEMV <c>y += W·x</c>: the float32 twin of
/// <see cref="BFloat16Matrix"/> (same row groups, same column blocks, same kernel shape), exact weights.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> Rows in groups of four (zero rows pad the last group), columns in blocks of 2L
/// (L = float lanes of the chosen width; zero columns pad the last block). For group g, block b, row q of the
/// group, column j &lt; 2L of the block, the float at <c>((g·blocks + b)·4 + q)·2L + j</c> holds
/// <c>W[4g+q, 2Lb+j]</c>. Packing [W_x | W_r] side by side turns the two gate products of a step into one
/// sequential stream against [x_t; r_{t−1}], which the hardware prefetcher follows, instead of two row-major
/// products whose rows of 40 or 512 floats each restart the prefetch.</para>
/// <para><b>Memory.</b> A copy of the weights: 4·⌈m/4⌉·PaddedColumns floats, i.e. the float32 size of the
/// matrix plus at most three zero rows and 2L − 1 zero columns.</para>
/// </remarks>
internal sealed class Float32StreamingMatrix : IStreamingMatrix
{
    private readonly float[] _packed;
    private readonly int _blocks;

    /// <summary>
    /// Packs row i of W = the concatenation of row i of <paramref name="left"/> (m × leftColumns, row-major) and
    /// row i of <paramref name="right"/> (m × rightColumns; empty when rightColumns is 0).
    /// </summary>
    /// <param name="rows">m, at least 1.</param>
    /// <param name="left">The first columns of every row, row-major.</param>
    /// <param name="leftColumns">Columns of <paramref name="left"/>.</param>
    /// <param name="right">The remaining columns of every row, row-major, or empty.</param>
    /// <param name="rightColumns">Columns of <paramref name="right"/>; n = leftColumns + rightColumns ≥ 1.</param>
    /// <param name="lanes">Float lanes of the kernel width (16, 8, 4 or 1); 0 picks the widest accelerated.</param>
    public Float32StreamingMatrix(int rows, ReadOnlySpan<float> left, int leftColumns, ReadOnlySpan<float> right, int rightColumns, int lanes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(leftColumns, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(rightColumns, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(leftColumns + rightColumns, 1, nameof(rightColumns));
        SpanGuard.RequireLength(left.Length, rows * leftColumns, nameof(left));
        SpanGuard.RequireLength(right.Length, rows * rightColumns, nameof(right));
        Lanes = lanes == 0 ? PackedGemv.WidestLanes() : lanes;
        if (Lanes is not (16 or 8 or 4 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lanes), lanes, "Expected 16, 8, 4 or 1 lanes (or 0 for the widest accelerated).");
        }

        Rows = rows;
        Columns = leftColumns + rightColumns;
        int blockWidth = 2 * Lanes;
        _blocks = (Columns + blockWidth - 1) / blockWidth;
        PaddedColumns = _blocks * blockWidth;
        int groups = (rows + 3) / 4;
        _packed = new float[checked(groups * _blocks * 4 * blockWidth)];
        for (int i = 0; i < rows; i++)
        {
            int rowBase = (i / 4 * _blocks * 4) + (i % 4);
            for (int p = 0; p < Columns; p++)
            {
                float value = p < leftColumns ? left[(i * leftColumns) + p] : right[(i * rightColumns) + p - leftColumns];
                int block = p / blockWidth;
                _packed[((rowBase + (block * 4)) * blockWidth) + (p % blockWidth)] = value;
            }
        }
    }

    /// <inheritdoc />
    public int Rows { get; }

    /// <inheritdoc />
    public int Columns { get; }

    /// <inheritdoc />
    public int PaddedColumns { get; }

    /// <summary>Float lanes of the packing and kernel width.</summary>
    public int Lanes { get; }

    /// <inheritdoc />
    public long Bytes => _packed.LongLength * sizeof(float);

    /// <inheritdoc />
    public void MultiplyAdd(ReadOnlySpan<float> x, Span<float> y)
    {
        Debug.Assert(x.Length >= PaddedColumns && y.Length >= Rows);
        PackedGemv.MultiplyAdd<float, Float32Pairs>(Lanes, ref MemoryMarshal.GetArrayDataReference(_packed),
            ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), Rows, PaddedColumns);
    }
}
