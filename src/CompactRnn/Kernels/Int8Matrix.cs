using System;
using System.Buffers;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>
/// An immutable m×n matrix stored as int8 with one float32 scale per row, packed once for the streaming GEMV
/// <c>y += W·x</c>, which runs as an integer dot product against x rounded to 7 bits: a quarter of the float32
/// bytes per step, and four times fewer arithmetic instructions than widening the weights to float32.
/// </summary>
/// <remarks>
/// <para><b>Weights.</b> Row i gets the scale <c>s_i = max_p |W_ip| / 127</c> and the integers
/// <c>q_ip = round(W_ip / s_i)</c> ∈ [−127, 127] (symmetric, no zero point); a row of zeros keeps s_i = 0. Each
/// weight moves by at most s_i / 2. The row sums <c>c_i = s_i·Σ_p q_ip</c> are kept too.</para>
/// <para><b>Inputs.</b> Each product rounds its x once (<see cref="Int8Activations"/>): <c>x̂_p = lo + σ·a_p</c>,
/// a_p ∈ [0, 127], lo = min x, σ = (max x − lo)/127, so |x_p − x̂_p| ≤ (σ/2)(1 + 10⁻⁴).</para>
/// <para><b>Arithmetic.</b> <c>y_i += s_i·(σ·D_i) + lo·c_i</c> with the exact int32 dot product
/// <c>D_i = Σ_p q_ip·a_p</c> (<see cref="Int8Gemv"/>; VPMADDUBSW + VPMADDWD on AVX-512 BW and AVX2, VPDPBUSD where
/// AVX-VNNI is present, a portable widening multiply elsewhere). That is s_i·Σ_p q_ip·x̂_p, so against the float32
/// weights and inputs (docs/math.md §15):</para>
/// <para><c>|Δy_i| ≤ (s_i/2)·Σ_p |x_p| + s_i·(σ/2)(1 + 10⁻⁴)·Σ_p |q_ip| + ε_i</c>,</para>
/// <para>the weight rounding, the input rounding, and the float32 rounding of the last line and of c_i (at most four
/// roundings on either term, one on the sum: <c>ε_i ≤ 6·2⁻²⁴·(s_i·σ·|D_i| + |lo|·s_i·|Σ_p q_ip| + |y_i|)</c>, y_i the
/// result). The integer part is exact, so every width gives the same bits. The int32 sums cannot overflow: n ≤
/// <see cref="MaxColumns"/> keeps <c>Σ_p |q_ip|·a_p ≤ 127²·n</c> below 2³¹.</para>
/// <para><b>Bytes.</b> Each row stores n₄ = 4⌈n/4⌉ bytes (not a whole block: see the tail in <see cref="Int8Gemv"/>),
/// rows in groups of four, then 64 bytes of slack, the scales and the row sums:
/// <c>4⌈m/4⌉·n₄ + 64 + 8m</c> on every machine. The stream starts on a 64-byte boundary (no vector load straddles two
/// lines) in pinned memory advised for huge pages (<see cref="StreamingStorage"/>), as the float32 and bf16 packs do; the
/// up to 63 bytes before it that the alignment costs are not counted.</para>
/// <para>A non-finite x (or a range beyond float32) makes every y_i NaN, as the float32 product would.</para>
/// </remarks>
internal sealed class Int8Matrix : IStreamingMatrix
{
    /// <summary>The widest row: 127²·n must stay below 2³¹ for the int32 sums.</summary>
    public const int MaxColumns = int.MaxValue / (127 * 127);

    private const int StackLimit = 8192;
    private readonly sbyte[] _packed;
    private readonly int _start;
    private readonly int _length;
    private readonly float[] _scales;
    private readonly float[] _offsets;
    private readonly int _stored;

    /// <summary>Quantizes and packs [left | right] row by row.</summary>
    /// <param name="rows">m, at least 1.</param>
    /// <param name="left">The first columns of every row, row-major.</param>
    /// <param name="leftColumns">Columns of <paramref name="left"/>.</param>
    /// <param name="right">The remaining columns of every row, row-major, or empty.</param>
    /// <param name="rightColumns">Columns of <paramref name="right"/>; n = leftColumns + rightColumns in [1, <see cref="MaxColumns"/>].</param>
    /// <param name="lanes">Float lanes of the kernel width (16, 8, 4 or 1); 0 picks the widest accelerated.</param>
    public Int8Matrix(int rows, ReadOnlySpan<float> left, int leftColumns, ReadOnlySpan<float> right, int rightColumns, int lanes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(leftColumns, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(rightColumns, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(leftColumns + rightColumns, 1, nameof(rightColumns));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)leftColumns + rightColumns, MaxColumns, nameof(rightColumns));
        SpanGuard.RequireLength(left.Length, rows * leftColumns, nameof(left));
        SpanGuard.RequireLength(right.Length, rows * rightColumns, nameof(right));
        Lanes = lanes == 0 ? PackedGemv.WidestLanes() : lanes;
        if (Lanes is not (16 or 8 or 4 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lanes), lanes, "Expected 16, 8, 4 or 1 lanes (or 0 for the widest accelerated).");
        }

        int columns = leftColumns + rightColumns;
        float[] quantized = QuantizeRows(rows, left, leftColumns, right, rightColumns, out _scales);
        Columns = columns;
        _stored = (columns + 3) / 4 * 4;
        _length = checked(((rows + 3) / 4 * 4 * _stored) + Int8Gemv.Slack);
        _packed = StreamingStorage.Allocate<sbyte>(_length, hugePages: true, out _start);
        Pack(rows, quantized, columns, _stored, 4 * Lanes, _packed.AsSpan(_start, _length));
        _offsets = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            long sum = 0;
            foreach (float q in quantized.AsSpan(i * columns, columns))
            {
                sum += (long)q;
            }

            _offsets[i] = (float)(_scales[i] * (double)sum); // c_i = s_i·Σ_p q_ip, rounded once
        }
    }

    /// <inheritdoc />
    public int Rows => _scales.Length;

    /// <inheritdoc />
    public int Columns { get; }

    /// <inheritdoc />
    /// <remarks>n itself: the inputs are rounded to bytes first, and only that buffer is padded.</remarks>
    public int PaddedColumns => Columns;

    /// <summary>Float lanes of the packing and kernel width.</summary>
    public int Lanes { get; }

    /// <inheritdoc />
    /// <remarks>The packed integers with their slack, the row scales and the row sums: <c>4⌈m/4⌉·4⌈n/4⌉ + 64 + 8m</c>.</remarks>
    public long Bytes => _length + (2L * _scales.Length * sizeof(float));

    /// <summary>s_i, the scale of each row.</summary>
    internal ReadOnlySpan<float> Scales => _scales;

    /// <summary>The packed integers with their slack, in stream order (the first one 64-byte aligned).</summary>
    internal ReadOnlySpan<sbyte> Packed => _packed.AsSpan(_start, _length);

    /// <inheritdoc />
    public void MultiplyAdd(ReadOnlySpan<float> x, Span<float> y)
    {
        Debug.Assert(x.Length >= Columns && y.Length >= Rows);
        switch (Lanes)
        {
            case 16:
                MultiplyAdd<Lanes512, Vector512<float>>(x[..Columns], y[..Rows]);
                break;
            case 8:
                MultiplyAdd<Lanes256, Vector256<float>>(x[..Columns], y[..Rows]);
                break;
            case 4:
                MultiplyAdd<Lanes128, Vector128<float>>(x[..Columns], y[..Rows]);
                break;
            default:
                MultiplyAdd<Lanes1, float>(x[..Columns], y[..Rows]);
                break;
        }
    }

    /// <inheritdoc />
    /// <remarks>Each row's input is rounded to 7 bits on its own (its own σ and lo, as <see cref="MultiplyAdd(ReadOnlySpan{float}, Span{float})"/>
    /// rounds it); then rows go four at a time through <see cref="Int8Gemv.MultiplyAddFour"/>, which reads each weight once for
    /// the four. A group with a non-finite row, and the last one to three rows, run one at a time.</remarks>
    public void MultiplyAddRows(ReadOnlySpan<float> x, int xStride, Span<float> y, int yStride, int count)
    {
        Debug.Assert(count == 0 || (x.Length >= ((count - 1) * xStride) + Columns && y.Length >= ((count - 1) * yStride) + Rows));
        switch (Lanes)
        {
            case 16:
                MultiplyAddRows<Lanes512, Vector512<float>>(x, xStride, y, yStride, count);
                break;
            case 8:
                MultiplyAddRows<Lanes256, Vector256<float>>(x, xStride, y, yStride, count);
                break;
            case 4:
                MultiplyAddRows<Lanes128, Vector128<float>>(x, xStride, y, yStride, count);
                break;
            default:
                MultiplyAddRows<Lanes1, float>(x, xStride, y, yStride, count);
                break;
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

    /// <summary>Rounds x to 7 bits, then runs <see cref="Int8Gemv"/> at the packed width.</summary>
    private void MultiplyAdd<TL, TV>(ReadOnlySpan<float> x, Span<float> y)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int width = 4 * TL.Count, length = (_stored + width - 1) / width * width;
        byte[]? rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> inputs = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length); // a few hundred bytes to clear, not the limit
        if (Int8Activations.Quantize<TL, TV>(x, inputs, out float low, out float step))
        {
            Int8Gemv.MultiplyAdd<TL, TV>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_packed), _start), ref MemoryMarshal.GetReference(inputs),
                ref MemoryMarshal.GetReference(y), ref MemoryMarshal.GetArrayDataReference(_scales), ref MemoryMarshal.GetArrayDataReference(_offsets),
                Rows, _stored, step, low);
        }
        else
        {
            TensorPrimitives.Add(y, float.NaN, y); // what a non-finite input does to the float32 product
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Rounds four rows' inputs to 7 bits and runs <see cref="Int8Gemv.MultiplyAddFour"/> per group of four rows.</summary>
    private void MultiplyAddRows<TL, TV>(ReadOnlySpan<float> x, int xStride, Span<float> y, int yStride, int count)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int width = 4 * TL.Count, length = (_stored + width - 1) / width * width, row = 0, needed = count >= 4 ? 4 * length : 0;
        byte[]? rented = needed > StackLimit ? ArrayPool<byte>.Shared.Rent(needed) : null;
        Span<byte> inputs = rented is null ? stackalloc byte[needed] : rented.AsSpan(0, needed); // the stack up to 8 KB: no pool a GC may trim
        Span<float> steps = stackalloc float[4], lows = stackalloc float[4];
        for (; row + 4 <= count; row += 4)
        {
            bool finite = true;
            for (int k = 0; k < 4 && finite; k++)
            {
                finite = Int8Activations.Quantize<TL, TV>(x.Slice((row + k) * xStride, Columns), inputs.Slice(k * length, length), out lows[k], out steps[k]);
            }

            if (!finite)
            {
                for (int k = 0; k < 4; k++)
                {
                    MultiplyAdd<TL, TV>(x.Slice((row + k) * xStride, Columns), y.Slice((row + k) * yStride, Rows)); // NaN where the row is non-finite
                }

                continue;
            }

            Int8Gemv.MultiplyAddFour<TL, TV>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_packed), _start), ref MemoryMarshal.GetReference(inputs), length,
                ref MemoryMarshal.GetReference(y[(row * yStride)..]), yStride, ref MemoryMarshal.GetArrayDataReference(_scales),
                ref MemoryMarshal.GetArrayDataReference(_offsets), Rows, _stored, steps, lows);
        }

        for (; row < count; row++)
        {
            MultiplyAdd<TL, TV>(x.Slice(row * xStride, Columns), y.Slice(row * yStride, Rows));
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Writes the layout of <see cref="Int8Gemv"/> into zeroed <paramref name="packed"/>: groups of four rows, whole
    /// blocks of W bytes per row, then the four tails.
    /// </summary>
    private static void Pack(int rows, float[] quantized, int columns, int stored, int width, Span<sbyte> packed)
    {
        int blocks = stored / width, tail = stored - (blocks * width), group = 4 * stored;
        for (int i = 0; i < rows; i++)
        {
            int groupStart = i / 4 * group, q = i % 4;
            for (int p = 0; p < columns; p++)
            {
                int b = p / width;
                int at = b < blocks ? groupStart + (((4 * b) + q) * width) + (p % width) : groupStart + (4 * blocks * width) + (q * tail) + (p - (blocks * width));
                packed[at] = checked((sbyte)quantized[(i * columns) + p]);
            }
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
