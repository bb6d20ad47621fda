using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CompactRnn.Kernels;

/// <summary>
/// A radix-4 Stockham pass whose stride s is smaller than the lane count C (the first passes, s = 1, 4):
/// the q loop is too short to vectorise, so the pass runs over the flat index <c>j = t·s + q</c> instead.
/// Inputs <c>x[j + s·m·k]</c> are contiguous in j, twiddles come from the expanded table, and the four
/// outputs <c>y[s(4t + r) + q]</c>, held as one vector per r, are put in order by a two-level interleave of
/// s-float chunks (a 4 × (C/s) transpose of chunks). Requires 2s ≤ C and s a divisor of C.
/// </summary>
internal static class FftSmallStridePass
{
    /// <summary>Processes whole vectors of j from <paramref name="j0"/>; returns the first j not done (a multiple of s).</summary>
    public static int Radix4<TL, TV>(FftStage stage, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, int j0)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
    {
        int s = stage.Stride, width = TL.Count, total = stage.Count * s;
        Debug.Assert(stage.Radix == 4 && 2 * s <= width && width % s == 0 && j0 % s == 0);

        // Chunk interleave: lane i takes chunk ⌊i/2s⌋ (+ C/2 lanes for the upper half) of a or b.
        Span<float> lowerBits = stackalloc float[width];
        Span<float> upperBits = stackalloc float[width];
        Span<float> maskBits = stackalloc float[width];
        for (int i = 0; i < width; i++)
        {
            int source = (i / (2 * s) * s) + (i % s);
            lowerBits[i] = BitConverter.Int32BitsToSingle(source);
            upperBits[i] = BitConverter.Int32BitsToSingle(source + (width / 2));
            maskBits[i] = BitConverter.Int32BitsToSingle(i / s % 2 == 1 ? -1 : 0);
        }

        var interleave = new Interleave<TV>(TL.Load(lowerBits, 0), TL.Load(upperBits, 0), TL.Load(maskBits, 0));
        ReadOnlySpan<float> twr = stage.ExpandedTwiddleRe, twi = stage.ExpandedTwiddleIm;
        int j = j0;
        for (; j + width <= total; j += width)
        {
            TV a0r = TL.Load(xr, j), a0i = TL.Load(xi, j), a1r = TL.Load(xr, j + total), a1i = TL.Load(xi, j + total);
            TV a2r = TL.Load(xr, j + (2 * total)), a2i = TL.Load(xi, j + (2 * total)), a3r = TL.Load(xr, j + (3 * total)), a3i = TL.Load(xi, j + (3 * total));
            TV b0r = TL.Add(a0r, a2r), b0i = TL.Add(a0i, a2i), b1r = TL.Subtract(a0r, a2r), b1i = TL.Subtract(a0i, a2i);
            TV b2r = TL.Add(a1r, a3r), b2i = TL.Add(a1i, a3i), dr = TL.Subtract(a1r, a3r), di = TL.Subtract(a1i, a3i);
            TV y0r = TL.Add(b0r, b2r), y0i = TL.Add(b0i, b2i);
            (TV y1r, TV y1i) = Twiddled<TL, TV>(TL.Add(b1r, di), TL.Subtract(b1i, dr), TL.Load(twr, j), TL.Load(twi, j));                                 // b1 − i·d
            (TV y2r, TV y2i) = Twiddled<TL, TV>(TL.Subtract(b0r, b2r), TL.Subtract(b0i, b2i), TL.Load(twr, j + total), TL.Load(twi, j + total));
            (TV y3r, TV y3i) = Twiddled<TL, TV>(TL.Subtract(b1r, di), TL.Add(b1i, dr), TL.Load(twr, j + (2 * total)), TL.Load(twi, j + (2 * total))); // b1 + i·d
            StoreInOrder<TL, TV>(interleave, y0r, y1r, y2r, y3r, yr, 4 * j);
            StoreInOrder<TL, TV>(interleave, y0i, y1i, y2i, y3i, yi, 4 * j);
        }

        return j;
    }

    /// <summary>Stores <c>[t][r][q]</c> from four vectors <c>y_r = [t][q]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInOrder<TL, TV>(Interleave<TV> interleave, TV y0, TV y1, TV y2, TV y3, Span<float> destination, int index)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
    {
        int width = TL.Count;
        TV lowEven = Lower<TL, TV>(interleave, y0, y2), highEven = Upper<TL, TV>(interleave, y0, y2);
        TV lowOdd = Lower<TL, TV>(interleave, y1, y3), highOdd = Upper<TL, TV>(interleave, y1, y3);
        TL.Store(Lower<TL, TV>(interleave, lowEven, lowOdd), destination, index);
        TL.Store(Upper<TL, TV>(interleave, lowEven, lowOdd), destination, index + width);
        TL.Store(Lower<TL, TV>(interleave, highEven, highOdd), destination, index + (2 * width));
        TL.Store(Upper<TL, TV>(interleave, highEven, highOdd), destination, index + (3 * width));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Lower<TL, TV>(Interleave<TV> interleave, TV a, TV b)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
        => TL.Select(interleave.Mask, TL.Permute(b, interleave.Lower), TL.Permute(a, interleave.Lower));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Upper<TL, TV>(Interleave<TV> interleave, TV a, TV b)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
        => TL.Select(interleave.Mask, TL.Permute(b, interleave.Upper), TL.Permute(a, interleave.Upper));

    /// <summary><c>(br + i·bi)·(wr + i·wi)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TV Re, TV Im) Twiddled<TL, TV>(TV br, TV bi, TV wr, TV wi)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
        => (TL.Subtract(TL.Multiply(br, wr), TL.Multiply(bi, wi)), TL.MultiplyAdd(br, wi, TL.Multiply(bi, wr)));

    /// <summary>The permutation indices of the lower and upper chunk interleave and the select mask (odd chunks from b).</summary>
    private readonly record struct Interleave<TV>(TV Lower, TV Upper, TV Mask)
        where TV : unmanaged;
}
