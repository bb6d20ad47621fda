using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics.Tensors;

namespace CompactRnn.Kernels;

/// <summary>
/// An immutable m×n matrix stored as int8 with one float32 scale per row, packed once for the streaming GEMV
/// <c>y += W·x</c>: a quarter of the float32 bytes per step.
/// </summary>
/// <remarks>
/// <para><b>Quantization.</b> Row i gets the scale <c>s_i = max_p |W_ip| / 127</c> and the integers
/// <c>q_ip = round(W_ip / s_i)</c> ∈ [−127, 127] (symmetric, no zero point); a row of zeros keeps s_i = 0. Each
/// weight then moves by at most s_i / 2, so <c>|Δy_i| ≤ (s_i / 2)·Σ_p |x_p|</c> plus float32 summation error.</para>
/// <para><b>Arithmetic.</b> The integers are widened exactly to float32 in registers (the layout and kernel of
/// <see cref="PackedStreamingMatrix{TElement, TPairs}"/>), multiplied by x in float32, and each row sum is scaled
/// once: <c>y_i += s_i·Σ_p q_ip·x_p</c>. x stays float32, so no activation is quantized. The AVX-512 VNNI integer
/// dot product is not used: it needs int8 activations, which would add a second rounding per step.</para>
/// <para><b>Column segments.</b> One packing at the widest width pads n up to a whole block of 2L columns (a
/// 768 × 52 matrix at L = 16 stores 64 columns, 23 % zeros), which at one byte a weight is a visible share of a
/// compact model. So the columns are cut into segments, widest first: as many whole blocks of 32 columns as fit are
/// packed at 16 lanes, then blocks of 16 at 8 lanes, 8 at 4 lanes, and the rest (fewer than 8) at one lane, whose
/// block is 2 columns (widths above the given one are skipped). Each segment is its own sequential stream against
/// its slice of x, and the row sums add up segment by segment. The stored columns are n rounded up to even
/// whatever the width, so the bytes are <c>4⌈m/4⌉·2⌈n/2⌉ + 4m</c> on every machine (integers, zero rows of the
/// last group of four and at most one zero column, then the scales).</para>
/// </remarks>
internal sealed class Int8Matrix : IStreamingMatrix
{
    private static readonly int[] SegmentLanes = [16, 8, 4, 1];
    private readonly Int8PackedRows[] _segments;
    private readonly int[] _segmentStarts;
    private readonly float[] _scales;

    /// <summary>Quantizes and packs [left | right] row by row.</summary>
    /// <param name="rows">m, at least 1.</param>
    /// <param name="left">The first columns of every row, row-major.</param>
    /// <param name="leftColumns">Columns of <paramref name="left"/>.</param>
    /// <param name="right">The remaining columns of every row, row-major, or empty.</param>
    /// <param name="rightColumns">Columns of <paramref name="right"/>; n = leftColumns + rightColumns ≥ 1.</param>
    /// <param name="lanes">Float lanes of the widest segment (16, 8, 4 or 1); 0 picks the widest accelerated.</param>
    public Int8Matrix(int rows, ReadOnlySpan<float> left, int leftColumns, ReadOnlySpan<float> right, int rightColumns, int lanes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(leftColumns, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(rightColumns, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(leftColumns + rightColumns, 1, nameof(rightColumns));
        SpanGuard.RequireLength(left.Length, rows * leftColumns, nameof(left));
        SpanGuard.RequireLength(right.Length, rows * rightColumns, nameof(right));
        int widest = lanes == 0 ? PackedGemv.WidestLanes() : lanes;
        if (Array.IndexOf(SegmentLanes, widest) < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lanes), lanes, "Expected 16, 8, 4 or 1 lanes (or 0 for the widest accelerated).");
        }

        int columns = leftColumns + rightColumns;
        float[] quantized = QuantizeRows(rows, left, leftColumns, right, rightColumns, out _scales);
        (_segments, _segmentStarts) = Segment(rows, quantized, columns, widest);
        Columns = columns;
        PaddedColumns = _segmentStarts[^1] + _segments[^1].PaddedColumns;
    }

    /// <inheritdoc />
    public int Rows => _segments[0].Rows;

    /// <inheritdoc />
    public int Columns { get; }

    /// <inheritdoc />
    /// <remarks>n rounded up to even: only the last, one-lane segment pads, by at most one column.</remarks>
    public int PaddedColumns { get; }

    /// <inheritdoc />
    /// <remarks>The packed bytes of every segment and the row scales: <c>4⌈m/4⌉·2⌈n/2⌉ + 4m</c>.</remarks>
    public long Bytes
    {
        get
        {
            long bytes = _scales.LongLength * sizeof(float);
            foreach (Int8PackedRows segment in _segments)
            {
                bytes += segment.Bytes;
            }

            return bytes;
        }
    }

    /// <summary>s_i, the scale of each row.</summary>
    internal ReadOnlySpan<float> Scales => _scales;

    /// <summary>Float lanes of each column segment, left to right.</summary>
    internal int[] SegmentWidths => [.. _segments.Select(s => s.Lanes)];

    /// <inheritdoc />
    public void MultiplyAdd(ReadOnlySpan<float> x, Span<float> y)
    {
        Debug.Assert(x.Length >= PaddedColumns && y.Length >= Rows);
        const int StackLimit = 4096;
        float[]? rented = Rows > StackLimit ? ArrayPool<float>.Shared.Rent(Rows) : null;
        Span<float> sums = rented is null ? stackalloc float[StackLimit] : rented;
        sums = sums[..Rows];
        sums.Clear();
        for (int k = 0; k < _segments.Length; k++)
        {
            _segments[k].MultiplyAdd(x[_segmentStarts[k]..], sums); // Σ_p q_ip x_p over the segment's columns
        }

        TensorPrimitives.MultiplyAdd(sums, _scales, y[..Rows], y[..Rows]); // y_i += s_i · Σ_p q_ip x_p
        if (rented is not null)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The quantization of [left | right] (see the remarks on the type): the integers q_ip as floats, row-major m × n,
    /// and the row scales s_i. Exposed so that a peer (the benchmarks' ONNX Runtime int8 graph) can store exactly the
    /// same weights.
    /// </summary>
    /// <exception cref="ArgumentException">A row holds a non-finite weight.</exception>
    internal static float[] QuantizeRows(int rows, ReadOnlySpan<float> left, int leftColumns, ReadOnlySpan<float> right, int rightColumns, out float[] scales)
    {
        int columns = leftColumns + rightColumns;
        scales = new float[rows];
        float[] quantized = new float[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> leftRow = left.Slice(i * leftColumns, leftColumns), rightRow = right.Slice(i * rightColumns, rightColumns);
            // MaxMagnitude returns the signed value of largest magnitude (NaN if any is NaN).
            float largest = Math.Max(leftRow.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(leftRow)), rightRow.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(rightRow)));
            if (!float.IsFinite(largest))
            {
                throw new ArgumentException($"Row {i} holds a non-finite weight; it cannot be quantized.", nameof(left));
            }

            scales[i] = largest / 127f;
            float inverse = largest > 0 ? 127f / largest : 0f;
            Quantize(leftRow, inverse, quantized.AsSpan(i * columns, leftColumns));
            Quantize(rightRow, inverse, quantized.AsSpan((i * columns) + leftColumns, rightColumns));
        }

        return quantized;
    }

    /// <summary>Cuts the columns of q into segments of whole blocks, widest first (see the remarks on the type).</summary>
    private static (Int8PackedRows[] Segments, int[] Starts) Segment(int rows, float[] quantized, int columns, int widest)
    {
        var segments = new List<Int8PackedRows>();
        var starts = new List<int>();
        int start = 0;
        foreach (int lanes in SegmentLanes)
        {
            if (lanes > widest || start == columns)
            {
                continue;
            }

            // The one-lane segment takes every remaining column (its block of 2 pads at most one); wider ones whole blocks only.
            int width = lanes == 1 ? columns - start : (columns - start) / (2 * lanes) * 2 * lanes;
            if (width == 0)
            {
                continue;
            }

            float[] part = new float[rows * width];
            for (int i = 0; i < rows; i++)
            {
                quantized.AsSpan((i * columns) + start, width).CopyTo(part.AsSpan(i * width, width));
            }

            segments.Add(new Int8PackedRows(rows, part, width, [], 0, lanes));
            starts.Add(start);
            start += width;
        }

        return ([.. segments], [.. starts]);
    }

    private static void Quantize(ReadOnlySpan<float> row, float inverse, Span<float> quantized)
    {
        for (int p = 0; p < row.Length; p++)
        {
            quantized[p] = Math.Clamp(MathF.Round(row[p] * inverse), -127f, 127f);
        }
    }
}
