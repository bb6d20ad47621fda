using System;
using System.Buffers;
using System.Diagnostics;
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
/// </remarks>
internal sealed class Int8Matrix : IStreamingMatrix
{
    private readonly Int8PackedRows _rows;
    private readonly float[] _scales;

    /// <summary>Quantizes and packs [left | right] row by row.</summary>
    /// <param name="rows">m, at least 1.</param>
    /// <param name="left">The first columns of every row, row-major.</param>
    /// <param name="leftColumns">Columns of <paramref name="left"/>.</param>
    /// <param name="right">The remaining columns of every row, row-major, or empty.</param>
    /// <param name="rightColumns">Columns of <paramref name="right"/>; n = leftColumns + rightColumns ≥ 1.</param>
    /// <param name="lanes">Float lanes of the kernel width (16, 8, 4 or 1); 0 picks the widest accelerated.</param>
    public Int8Matrix(int rows, ReadOnlySpan<float> left, int leftColumns, ReadOnlySpan<float> right, int rightColumns, int lanes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        SpanGuard.RequireLength(left.Length, rows * leftColumns, nameof(left));
        SpanGuard.RequireLength(right.Length, rows * rightColumns, nameof(right));
        _scales = new float[rows];
        float[] quantizedLeft = new float[left.Length], quantizedRight = new float[right.Length];
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> leftRow = left.Slice(i * leftColumns, leftColumns), rightRow = right.Slice(i * rightColumns, rightColumns);
            // MaxMagnitude returns the signed value of largest magnitude (NaN if any is NaN).
            float largest = Math.Max(leftRow.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(leftRow)), rightRow.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(rightRow)));
            if (!float.IsFinite(largest))
            {
                throw new ArgumentException($"Row {i} holds a non-finite weight; it cannot be quantized.", nameof(left));
            }

            _scales[i] = largest / 127f;
            float inverse = largest > 0 ? 127f / largest : 0f;
            Quantize(leftRow, inverse, quantizedLeft.AsSpan(i * leftColumns, leftColumns));
            Quantize(rightRow, inverse, quantizedRight.AsSpan(i * rightColumns, rightColumns));
        }

        _rows = new Int8PackedRows(rows, quantizedLeft, leftColumns, quantizedRight, rightColumns, lanes);
    }

    /// <inheritdoc />
    public int Rows => _rows.Rows;

    /// <inheritdoc />
    public int Columns => _rows.Columns;

    /// <inheritdoc />
    public int PaddedColumns => _rows.PaddedColumns;

    /// <inheritdoc />
    /// <remarks>The packed bytes and the row scales.</remarks>
    public long Bytes => _rows.Bytes + (_scales.LongLength * sizeof(float));

    /// <summary>s_i, the scale of each row.</summary>
    internal ReadOnlySpan<float> Scales => _scales;

    /// <inheritdoc />
    public void MultiplyAdd(ReadOnlySpan<float> x, Span<float> y)
    {
        Debug.Assert(x.Length >= PaddedColumns && y.Length >= Rows);
        const int StackLimit = 4096;
        float[]? rented = Rows > StackLimit ? ArrayPool<float>.Shared.Rent(Rows) : null;
        Span<float> sums = rented is null ? stackalloc float[StackLimit] : rented;
        sums = sums[..Rows];
        sums.Clear();
        _rows.MultiplyAdd(x, sums);                        // Σ_p q_ip x_p
        TensorPrimitives.MultiplyAdd(sums, _scales, y[..Rows], y[..Rows]); // y_i += s_i · Σ_p q_ip x_p
        if (rented is not null)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private static void Quantize(ReadOnlySpan<float> row, float inverse, Span<float> quantized)
    {
        for (int p = 0; p < row.Length; p++)
        {
            quantized[p] = Math.Clamp(MathF.Round(row[p] * inverse), -127f, 127f);
        }
    }
}
