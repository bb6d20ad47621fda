using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompactRnn.Kernels;

/// <summary>
/// An immutable m×n matrix packed once for the streaming GEMV <c>y += W·x</c> (<see cref="PackedGemv"/>), stored as
/// <typeparamref name="TElement"/> through <typeparamref name="TPairs"/>.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> Rows in groups of four (zero rows pad the last group), columns in blocks of 2L (L = float
/// lanes of the chosen width; zero columns pad the last block). For group g, block b and row q of the group, the
/// row's pair of weight vectors (columns 2Lb … 2Lb + 2L − 1) starts at element <c>((g·blocks + b)·4 + q)·P</c>,
/// with P = <see cref="IPackedPairs{TElement}.PairLength"/>(L). The whole matrix is then one sequential stream,
/// which the hardware prefetcher follows. Packing [W_x | W_r] side by side turns the two gate products of a step
/// into one stream against [x_t; r_{t−1}].</para>
/// <para><b>Memory.</b> The stream starts on a 64-byte boundary (no vector load straddles two lines) in pinned
/// memory advised for huge pages (<see cref="StreamingStorage"/>).</para>
/// </remarks>
/// <typeparam name="TElement">The stored element.</typeparam>
/// <typeparam name="TPairs">How a pair of weight vectors is stored and loaded.</typeparam>
internal abstract class PackedStreamingMatrix<TElement, TPairs> : IStreamingMatrix
    where TElement : unmanaged
    where TPairs : struct, IPackedPairs<TElement>
{
    private readonly TElement[] _packed;
    private readonly int _start;
    private readonly int _length;

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
    protected PackedStreamingMatrix(int rows, ReadOnlySpan<float> left, int leftColumns, ReadOnlySpan<float> right, int rightColumns, int lanes)
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
        int blockWidth = 2 * Lanes, pair = TPairs.PairLength(Lanes);
        int blocks = (Columns + blockWidth - 1) / blockWidth;
        PaddedColumns = blocks * blockWidth;
        _length = checked((rows + 3) / 4 * blocks * 4 * pair);
        _packed = StreamingStorage.Allocate<TElement>(_length, hugePages: true, out _start);
        for (int i = 0; i < rows; i++)
        {
            int rowBase = (i / 4 * blocks * 4) + (i % 4);
            for (int p = 0; p < Columns; p++)
            {
                float value = p < leftColumns ? left[(i * leftColumns) + p] : right[(i * rightColumns) + p - leftColumns];
                TPairs.Store(_packed, _start + ((rowBase + (p / blockWidth * 4)) * pair), p % blockWidth, Lanes, value);
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
    public long Bytes => (long)_length * Unsafe.SizeOf<TElement>();

    /// <summary>The packed elements, in stream order (the first one 64-byte aligned).</summary>
    internal ReadOnlySpan<TElement> Packed => _packed.AsSpan(_start, _length);

    /// <inheritdoc />
    public void MultiplyAdd(ReadOnlySpan<float> x, Span<float> y)
    {
        Debug.Assert(x.Length >= PaddedColumns && y.Length >= Rows);
        PackedGemv.MultiplyAdd<TElement, TPairs>(Lanes, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_packed), _start),
            ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), Rows, PaddedColumns);
    }
}
