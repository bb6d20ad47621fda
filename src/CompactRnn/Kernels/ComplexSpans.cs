using System;
using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>
/// Element-wise complex products on split-complex spans (real and imaginary parts apart), the pointwise
/// half of every FFT convolution. One generic loop, instantiated widest lanes first with a scalar tail.
/// A destination may alias an input only at the same start.
/// </summary>
internal static class ComplexSpans
{
    /// <summary>
    /// <c>d = op(a)·b</c> (or <c>d += op(a)·b</c> when <paramref name="accumulate"/>), with <c>op(a) = conj(a)</c>
    /// when <paramref name="conjugateA"/>, else <c>a</c>.
    /// </summary>
    /// <param name="ar">Re a.</param>
    /// <param name="ai">Im a.</param>
    /// <param name="br">Re b.</param>
    /// <param name="bi">Im b.</param>
    /// <param name="dr">Re d; its length is the element count.</param>
    /// <param name="di">Im d.</param>
    /// <param name="conjugateA">Use conj(a).</param>
    /// <param name="accumulate">Add to d instead of overwriting it.</param>
    /// <param name="laneLimit">Widest lane count allowed (tests force the narrower paths).</param>
    public static void Multiply(ReadOnlySpan<float> ar, ReadOnlySpan<float> ai, ReadOnlySpan<float> br, ReadOnlySpan<float> bi,
        Span<float> dr, Span<float> di, bool conjugateA, bool accumulate, int laneLimit = int.MaxValue)
    {
        int length = dr.Length;
        Debug.Assert(ar.Length >= length && ai.Length >= length && br.Length >= length && bi.Length >= length && di.Length >= length);
        int i = 0;
        if (laneLimit >= 16 && Lanes512.IsAccelerated && length - i >= 16)
        {
            i = Core<Lanes512, Vector512<float>>(ar, ai, br, bi, dr, di, conjugateA, accumulate, i, length);
        }

        if (laneLimit >= 8 && Lanes256.IsAccelerated && length - i >= 8)
        {
            i = Core<Lanes256, Vector256<float>>(ar, ai, br, bi, dr, di, conjugateA, accumulate, i, length);
        }

        if (laneLimit >= 4 && Lanes128.IsAccelerated && length - i >= 4)
        {
            i = Core<Lanes128, Vector128<float>>(ar, ai, br, bi, dr, di, conjugateA, accumulate, i, length);
        }

        Core<Lanes1, float>(ar, ai, br, bi, dr, di, conjugateA, accumulate, i, length);
    }

    /// <summary>Processes whole lane groups from <paramref name="start"/>; returns the first index not done.</summary>
    private static int Core<TL, TV>(ReadOnlySpan<float> ar, ReadOnlySpan<float> ai, ReadOnlySpan<float> br, ReadOnlySpan<float> bi,
        Span<float> dr, Span<float> di, bool conjugateA, bool accumulate, int start, int length)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
    {
        int width = TL.Count, i = start;
        TV sign = TL.Broadcast(conjugateA ? -1f : 1f);
        for (; i + width <= length; i += width)
        {
            TV xr = TL.Load(ar, i), xi = TL.Multiply(sign, TL.Load(ai, i)), yr = TL.Load(br, i), yi = TL.Load(bi, i);
            TV pr = TL.Subtract(TL.Multiply(xr, yr), TL.Multiply(xi, yi));   // Re(x·y)
            TV pi = TL.MultiplyAdd(xr, yi, TL.Multiply(xi, yr));             // Im(x·y)
            if (accumulate)
            {
                pr = TL.Add(pr, TL.Load(dr, i));
                pi = TL.Add(pi, TL.Load(di, i));
            }

            TL.Store(pr, dr, i);
            TL.Store(pi, di, i);
        }

        return i;
    }
}
