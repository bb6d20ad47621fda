using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>
/// The integer kernel of <see cref="Int8Matrix"/>: <c>y_i += s_i·(σ·D_i) + lo·c_i</c> with the exact int32 dot product
/// <c>D_i = Σ_p q_ip·a_p</c> of a row's int8 weights and the 7-bit inputs (<see cref="Int8Activations"/>), and
/// <c>c_i = s_i·Σ_p q_ip</c> (the offset's share). One kernel for every width (<see cref="ILanes{TV}"/>).
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> Rows in groups of four, each row stored with n₄ = 4⌈n/4⌉ bytes; a group's rows are cut into
/// B = ⌊n₄/W⌋ whole blocks of W = 4L bytes (L = float lanes) and a tail of t = n₄ − B·W bytes. Per block the four rows'
/// W bytes follow each other, then the four tails (t bytes each), so each group is 4·n₄ bytes of one sequential
/// stream and no row is padded to a whole block.</para>
/// <para><b>The tail.</b> The tail is read with the same W-byte loads as a block, so a load runs past the row's t bytes
/// into the next rows (or the array's W bytes of slack). Those bytes meet inputs a_p at columns ≥ n₄, which
/// <see cref="Int8Activations.Quantize"/> sets to zero, so they add nothing.</para>
/// </remarks>
internal static class Int8Gemv
{
    /// <summary>Bytes of slack after the last group: the widest block, so a tail load never leaves the array.</summary>
    public const int Slack = 64;

    /// <summary>Runs the product at the width of <typeparamref name="TL"/>, the width the matrix was packed for.</summary>
    /// <param name="w">The first packed byte.</param>
    /// <param name="a">The 7-bit inputs: ⌈n₄/W⌉·W bytes, zero from n on.</param>
    /// <param name="y">The first of <paramref name="rows"/> floats; added to.</param>
    /// <param name="scales">s_i, from the first row.</param>
    /// <param name="offsets">c_i = s_i·Σ_p q_ip, from the first row.</param>
    /// <param name="rows">m.</param>
    /// <param name="stored">n₄, bytes per stored row (a multiple of 4).</param>
    /// <param name="step">σ, the input step.</param>
    /// <param name="low">lo, the input offset.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<TL, TV>(ref sbyte w, ref byte a, ref float y, ref float scales, ref float offsets, int rows, int stored, float step, float low)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nint width = 4 * TL.Count, blocks = stored / width, tail = stored - (blocks * width);
        ref float inputs = ref Unsafe.As<byte, float>(ref a);
        for (int row = 0; row < rows; row += 4)
        {
            TV d0 = TL.Zero, d1 = TL.Zero, d2 = TL.Zero, d3 = TL.Zero;
            nint at = 0;
            for (nint b = 0; b < blocks; b++)
            {
                TV x = TL.Load(ref inputs, b * TL.Count);
                d0 = TL.MultiplyAddBytes(x, Bytes<TL, TV>(ref w, at), d0);
                d1 = TL.MultiplyAddBytes(x, Bytes<TL, TV>(ref w, at + width), d1);
                d2 = TL.MultiplyAddBytes(x, Bytes<TL, TV>(ref w, at + (2 * width)), d2);
                d3 = TL.MultiplyAddBytes(x, Bytes<TL, TV>(ref w, at + (3 * width)), d3);
                at += 4 * width;
            }

            if (tail > 0)
            {
                TV x = TL.Load(ref inputs, blocks * TL.Count);
                d0 = TL.MultiplyAddBytes(x, Bytes<TL, TV>(ref w, at), d0);
                d1 = TL.MultiplyAddBytes(x, Bytes<TL, TV>(ref w, at + tail), d1);
                d2 = TL.MultiplyAddBytes(x, Bytes<TL, TV>(ref w, at + (2 * tail)), d2);
                d3 = TL.MultiplyAddBytes(x, Bytes<TL, TV>(ref w, at + (3 * tail)), d3);
            }

            Finish(TL.SumInt32(d0, d1, d2, d3), ref y, ref scales, ref offsets, row, rows, step, low);
            w = ref Unsafe.Add(ref w, 4 * stored);
        }
    }

    /// <summary>
    /// <see cref="MultiplyAdd{TL, TV}"/> for four input vectors at once (four rows of a batch): each block of weights is
    /// loaded once and meets all four, so a batch streams the weights once per four rows instead of once per row. Each
    /// output equals the one-row kernel's bit for bit: the integer dots are exact and each row finishes with the same
    /// float32 expression.
    /// </summary>
    /// <param name="w">The first packed byte.</param>
    /// <param name="a">The first row's 7-bit inputs (as in <see cref="MultiplyAdd{TL, TV}"/>); row k starts k·<paramref name="inputStride"/> bytes later.</param>
    /// <param name="inputStride">Bytes between the rows of <paramref name="a"/>, a multiple of 4.</param>
    /// <param name="y">The first row's m floats; row k starts k·<paramref name="outputStride"/> floats later; added to.</param>
    /// <param name="outputStride">Floats between the rows of <paramref name="y"/>.</param>
    /// <param name="scales">s_i, from the first row.</param>
    /// <param name="offsets">c_i = s_i·Σ_p q_ip, from the first row.</param>
    /// <param name="rows">m.</param>
    /// <param name="stored">n₄, bytes per stored row (a multiple of 4).</param>
    /// <param name="steps">σ of each of the four inputs.</param>
    /// <param name="lows">lo of each of the four inputs.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAddFour<TL, TV>(ref sbyte w, ref byte a, nint inputStride, ref float y, nint outputStride, ref float scales, ref float offsets,
        int rows, int stored, ReadOnlySpan<float> steps, ReadOnlySpan<float> lows)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nint width = 4 * TL.Count, blocks = stored / width, tail = stored - (blocks * width);
        ref float x0 = ref Unsafe.As<byte, float>(ref a);
        ref float x1 = ref Unsafe.As<byte, float>(ref Unsafe.Add(ref a, inputStride));
        ref float x2 = ref Unsafe.As<byte, float>(ref Unsafe.Add(ref a, 2 * inputStride));
        ref float x3 = ref Unsafe.As<byte, float>(ref Unsafe.Add(ref a, 3 * inputStride));
        for (int row = 0; row < rows; row += 4)
        {
            // d{r}{k}: weight row r of the group against input k.
            TV d00 = TL.Zero, d01 = TL.Zero, d02 = TL.Zero, d03 = TL.Zero, d10 = TL.Zero, d11 = TL.Zero, d12 = TL.Zero, d13 = TL.Zero;
            TV d20 = TL.Zero, d21 = TL.Zero, d22 = TL.Zero, d23 = TL.Zero, d30 = TL.Zero, d31 = TL.Zero, d32 = TL.Zero, d33 = TL.Zero;
            nint at = 0;
            for (nint b = 0; b <= blocks; b++)
            {
                // The last pass is the tail (t bytes per row, read with whole-block loads; see the type's remarks).
                nint rowBytes = b < blocks ? width : tail;
                if (rowBytes == 0)
                {
                    break;
                }

                TV a0 = TL.Load(ref x0, b * TL.Count), a1 = TL.Load(ref x1, b * TL.Count), a2 = TL.Load(ref x2, b * TL.Count), a3 = TL.Load(ref x3, b * TL.Count);
                TV q = Bytes<TL, TV>(ref w, at);
                d00 = TL.MultiplyAddBytes(a0, q, d00);
                d01 = TL.MultiplyAddBytes(a1, q, d01);
                d02 = TL.MultiplyAddBytes(a2, q, d02);
                d03 = TL.MultiplyAddBytes(a3, q, d03);
                q = Bytes<TL, TV>(ref w, at + rowBytes);
                d10 = TL.MultiplyAddBytes(a0, q, d10);
                d11 = TL.MultiplyAddBytes(a1, q, d11);
                d12 = TL.MultiplyAddBytes(a2, q, d12);
                d13 = TL.MultiplyAddBytes(a3, q, d13);
                q = Bytes<TL, TV>(ref w, at + (2 * rowBytes));
                d20 = TL.MultiplyAddBytes(a0, q, d20);
                d21 = TL.MultiplyAddBytes(a1, q, d21);
                d22 = TL.MultiplyAddBytes(a2, q, d22);
                d23 = TL.MultiplyAddBytes(a3, q, d23);
                q = Bytes<TL, TV>(ref w, at + (3 * rowBytes));
                d30 = TL.MultiplyAddBytes(a0, q, d30);
                d31 = TL.MultiplyAddBytes(a1, q, d31);
                d32 = TL.MultiplyAddBytes(a2, q, d32);
                d33 = TL.MultiplyAddBytes(a3, q, d33);
                at += 4 * rowBytes;
            }

            Finish(TL.SumInt32(d00, d10, d20, d30), ref y, ref scales, ref offsets, row, rows, steps[0], lows[0]);
            Finish(TL.SumInt32(d01, d11, d21, d31), ref Unsafe.Add(ref y, outputStride), ref scales, ref offsets, row, rows, steps[1], lows[1]);
            Finish(TL.SumInt32(d02, d12, d22, d32), ref Unsafe.Add(ref y, 2 * outputStride), ref scales, ref offsets, row, rows, steps[2], lows[2]);
            Finish(TL.SumInt32(d03, d13, d23, d33), ref Unsafe.Add(ref y, 3 * outputStride), ref scales, ref offsets, row, rows, steps[3], lows[3]);
            w = ref Unsafe.Add(ref w, 4 * stored);
        }
    }

    /// <summary>
    /// y_i += s_i·(σ·D_i) + lo·c_i for the four rows of the group at <paramref name="row"/> (fewer at the end), in this
    /// order on every width and in both kernels, so every width and both kernels give the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector128<int> sums, ref float y, ref float scales, ref float offsets, int row, int rows, float step, float low)
    {
        Vector128<float> dots = Vector128.ConvertToSingle(sums);
        if (rows - row >= 4)
        {
            ref float yRow = ref Unsafe.Add(ref y, row);
            Vector128<float> result = Vector128.LoadUnsafe(ref yRow)
                + ((Vector128.LoadUnsafe(ref scales, (nuint)row) * (Vector128.Create(step) * dots)) + (Vector128.Create(low) * Vector128.LoadUnsafe(ref offsets, (nuint)row)));
            result.StoreUnsafe(ref yRow);
        }
        else
        {
            for (int k = 0; k < rows - row; k++)
            {
                Unsafe.Add(ref y, row + k) += (Unsafe.Add(ref scales, row + k) * (step * dots[k])) + (low * Unsafe.Add(ref offsets, row + k));
            }
        }
    }

    /// <summary>W packed bytes at <paramref name="offset"/> as one lane value (their bit pattern).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Bytes<TL, TV>(ref sbyte w, nint offset)
        where TL : struct, ILanes<TV>
        where TV : struct
        => TL.Load(ref Unsafe.As<sbyte, float>(ref Unsafe.Add(ref w, offset)), 0);
}
