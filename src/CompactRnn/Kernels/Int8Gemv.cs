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

            // y_i += s_i·(σ·D_i) + lo·c_i for the group's rows, in this order on every width (so every width gives the same bits).
            Vector128<float> dots = Vector128.ConvertToSingle(TL.SumInt32(d0, d1, d2, d3));
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

            w = ref Unsafe.Add(ref w, 4 * stored);
        }
    }

    /// <summary>W packed bytes at <paramref name="offset"/> as one lane value (their bit pattern).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Bytes<TL, TV>(ref sbyte w, nint offset)
        where TL : struct, ILanes<TV>
        where TV : struct
        => TL.Load(ref Unsafe.As<sbyte, float>(ref Unsafe.Add(ref w, offset)), 0);
}
