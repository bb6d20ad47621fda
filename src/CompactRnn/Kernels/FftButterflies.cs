using System;
using System.Runtime.CompilerServices;

namespace CompactRnn.Kernels;

/// <summary>
/// The butterflies of one Stockham pass (see <see cref="FftStage"/> for the index map), written once per
/// radix over the lane abstraction <see cref="ILanes{TV}"/>: the vectorised loop runs over the contiguous
/// inner index q ∈ [q0, q1), which must be a multiple of the lane count long.
/// Split-complex layout: real and imaginary parts in separate spans.
/// </summary>
internal static class FftButterflies
{
    private const float Sin60 = 0.8660254037844386f;               // √3/2
    private const float Cos72 = 0.30901699437494745f;              // cos(2π/5)
    private const float Cos144 = -0.8090169943749475f;             // cos(4π/5)
    private const float Sin72 = 0.9510565162951535f;               // sin(2π/5)
    private const float Sin144 = 0.5877852522924731f;              // sin(4π/5)

    /// <summary>Runs the pass's radix-2, 3, 4 or 5 butterflies for q ∈ [q0, q1) and t ∈ [t0, m).</summary>
    public static void Run<TL, TV>(FftStage stage, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, int q0, int q1, int t0 = 0)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
    {
        switch (stage.Radix)
        {
            case 2:
                Radix2<TL, TV>(stage, xr, xi, yr, yi, q0, q1, t0);
                break;
            case 3:
                Radix3<TL, TV>(stage, xr, xi, yr, yi, q0, q1, t0);
                break;
            case 4:
                Radix4<TL, TV>(stage, xr, xi, yr, yi, q0, q1, t0);
                break;
            default:
                Radix5<TL, TV>(stage, xr, xi, yr, yi, q0, q1, t0);
                break;
        }
    }

    /// <summary>Any radix p by the O(p²) definition, scalar; used for odd primes 7 ≤ p ≤ <see cref="FftPlan.MaxDirectPrime"/>.</summary>
    public static void Generic(FftStage stage, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi)
    {
        int p = stage.Radix, s = stage.Stride, m = stage.Count, span = s * m;
        for (int t = 0; t < m; t++)
        {
            for (int q = 0; q < s; q++)
            {
                int input = q + (s * t);
                int output = q + (s * p * t);
                for (int r = 0; r < p; r++)
                {
                    float sumRe = 0, sumIm = 0;
                    for (int k = 0, rk = 0; k < p; k++, rk = (rk + r) % p)
                    {
                        float ar = xr[input + (k * span)], ai = xi[input + (k * span)];
                        float wr = stage.RootRe[rk], wi = stage.RootIm[rk];
                        sumRe += (ar * wr) - (ai * wi);
                        sumIm += (ar * wi) + (ai * wr);
                    }

                    if (r == 0)
                    {
                        yr[output] = sumRe;
                        yi[output] = sumIm;
                    }
                    else
                    {
                        float tr = stage.TwiddleRe[(t * (p - 1)) + r - 1], ti = stage.TwiddleIm[(t * (p - 1)) + r - 1];
                        yr[output + (r * s)] = (sumRe * tr) - (sumIm * ti);
                        yi[output + (r * s)] = (sumRe * ti) + (sumIm * tr);
                    }
                }
            }
        }
    }

    private static void Radix2<TL, TV>(FftStage stage, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, int q0, int q1, int t0)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
    {
        int s = stage.Stride, m = stage.Count, span = s * m, width = TL.Count;
        for (int t = t0; t < m; t++)
        {
            TV w1r = TL.Broadcast(stage.TwiddleRe[t]), w1i = TL.Broadcast(stage.TwiddleIm[t]), w1n = TL.Broadcast(-stage.TwiddleIm[t]);
            int input = s * t, output = 2 * s * t;
            for (int q = q0; q < q1; q += width)
            {
                int i0 = input + q, i1 = i0 + span, o0 = output + q;
                TV a0r = TL.Load(xr, i0), a0i = TL.Load(xi, i0), a1r = TL.Load(xr, i1), a1i = TL.Load(xi, i1);
                TL.Store(TL.Add(a0r, a1r), yr, o0);
                TL.Store(TL.Add(a0i, a1i), yi, o0);
                StoreTwiddled<TL, TV>(TL.Subtract(a0r, a1r), TL.Subtract(a0i, a1i), w1r, w1i, w1n, yr, yi, o0 + s);
            }
        }
    }

    private static void Radix3<TL, TV>(FftStage stage, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, int q0, int q1, int t0)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
    {
        int s = stage.Stride, m = stage.Count, span = s * m, width = TL.Count;
        TV half = TL.Broadcast(0.5f), sin60 = TL.Broadcast(Sin60);
        for (int t = t0; t < m; t++)
        {
            int tw = 2 * t;
            TV w1r = TL.Broadcast(stage.TwiddleRe[tw]), w1i = TL.Broadcast(stage.TwiddleIm[tw]), w1n = TL.Broadcast(-stage.TwiddleIm[tw]);
            TV w2r = TL.Broadcast(stage.TwiddleRe[tw + 1]), w2i = TL.Broadcast(stage.TwiddleIm[tw + 1]), w2n = TL.Broadcast(-stage.TwiddleIm[tw + 1]);
            int input = s * t, output = 3 * s * t;
            for (int q = q0; q < q1; q += width)
            {
                int i0 = input + q, i1 = i0 + span, i2 = i1 + span, o0 = output + q;
                TV a0r = TL.Load(xr, i0), a0i = TL.Load(xi, i0);
                TV a1r = TL.Load(xr, i1), a1i = TL.Load(xi, i1), a2r = TL.Load(xr, i2), a2i = TL.Load(xi, i2);
                TV sr = TL.Add(a1r, a2r), si = TL.Add(a1i, a2i);
                TV dr = TL.Multiply(sin60, TL.Subtract(a1r, a2r)), di = TL.Multiply(sin60, TL.Subtract(a1i, a2i));
                TV cr = TL.Subtract(a0r, TL.Multiply(half, sr)), ci = TL.Subtract(a0i, TL.Multiply(half, si));
                TL.Store(TL.Add(a0r, sr), yr, o0);
                TL.Store(TL.Add(a0i, si), yi, o0);
                StoreTwiddled<TL, TV>(TL.Add(cr, di), TL.Subtract(ci, dr), w1r, w1i, w1n, yr, yi, o0 + s);     // c − i·d
                StoreTwiddled<TL, TV>(TL.Subtract(cr, di), TL.Add(ci, dr), w2r, w2i, w2n, yr, yi, o0 + (2 * s)); // c + i·d
            }
        }
    }

    private static void Radix4<TL, TV>(FftStage stage, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, int q0, int q1, int t0)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
    {
        int s = stage.Stride, m = stage.Count, span = s * m, width = TL.Count;
        for (int t = t0; t < m; t++)
        {
            int tw = 3 * t;
            TV w1r = TL.Broadcast(stage.TwiddleRe[tw]), w1i = TL.Broadcast(stage.TwiddleIm[tw]), w1n = TL.Broadcast(-stage.TwiddleIm[tw]);
            TV w2r = TL.Broadcast(stage.TwiddleRe[tw + 1]), w2i = TL.Broadcast(stage.TwiddleIm[tw + 1]), w2n = TL.Broadcast(-stage.TwiddleIm[tw + 1]);
            TV w3r = TL.Broadcast(stage.TwiddleRe[tw + 2]), w3i = TL.Broadcast(stage.TwiddleIm[tw + 2]), w3n = TL.Broadcast(-stage.TwiddleIm[tw + 2]);
            int input = s * t, output = 4 * s * t;
            for (int q = q0; q < q1; q += width)
            {
                int i0 = input + q, i1 = i0 + span, i2 = i1 + span, i3 = i2 + span, o0 = output + q;
                TV a0r = TL.Load(xr, i0), a0i = TL.Load(xi, i0), a1r = TL.Load(xr, i1), a1i = TL.Load(xi, i1);
                TV a2r = TL.Load(xr, i2), a2i = TL.Load(xi, i2), a3r = TL.Load(xr, i3), a3i = TL.Load(xi, i3);
                TV b0r = TL.Add(a0r, a2r), b0i = TL.Add(a0i, a2i), b1r = TL.Subtract(a0r, a2r), b1i = TL.Subtract(a0i, a2i);
                TV b2r = TL.Add(a1r, a3r), b2i = TL.Add(a1i, a3i), dr = TL.Subtract(a1r, a3r), di = TL.Subtract(a1i, a3i);
                TL.Store(TL.Add(b0r, b2r), yr, o0);
                TL.Store(TL.Add(b0i, b2i), yi, o0);
                StoreTwiddled<TL, TV>(TL.Add(b1r, di), TL.Subtract(b1i, dr), w1r, w1i, w1n, yr, yi, o0 + s);       // b1 − i·d
                StoreTwiddled<TL, TV>(TL.Subtract(b0r, b2r), TL.Subtract(b0i, b2i), w2r, w2i, w2n, yr, yi, o0 + (2 * s));
                StoreTwiddled<TL, TV>(TL.Subtract(b1r, di), TL.Add(b1i, dr), w3r, w3i, w3n, yr, yi, o0 + (3 * s)); // b1 + i·d
            }
        }
    }

    private static void Radix5<TL, TV>(FftStage stage, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, int q0, int q1, int t0)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
    {
        int s = stage.Stride, m = stage.Count, span = s * m, width = TL.Count;
        TV c1 = TL.Broadcast(Cos72), c2 = TL.Broadcast(Cos144), s1 = TL.Broadcast(Sin72), s2 = TL.Broadcast(Sin144);
        for (int t = t0; t < m; t++)
        {
            int tw = 4 * t;
            TV w1r = TL.Broadcast(stage.TwiddleRe[tw]), w1i = TL.Broadcast(stage.TwiddleIm[tw]), w1n = TL.Broadcast(-stage.TwiddleIm[tw]);
            TV w2r = TL.Broadcast(stage.TwiddleRe[tw + 1]), w2i = TL.Broadcast(stage.TwiddleIm[tw + 1]), w2n = TL.Broadcast(-stage.TwiddleIm[tw + 1]);
            TV w3r = TL.Broadcast(stage.TwiddleRe[tw + 2]), w3i = TL.Broadcast(stage.TwiddleIm[tw + 2]), w3n = TL.Broadcast(-stage.TwiddleIm[tw + 2]);
            TV w4r = TL.Broadcast(stage.TwiddleRe[tw + 3]), w4i = TL.Broadcast(stage.TwiddleIm[tw + 3]), w4n = TL.Broadcast(-stage.TwiddleIm[tw + 3]);
            int input = s * t, output = 5 * s * t;
            for (int q = q0; q < q1; q += width)
            {
                int i0 = input + q, o0 = output + q;
                TV a0r = TL.Load(xr, i0), a0i = TL.Load(xi, i0);
                TV a1r = TL.Load(xr, i0 + span), a1i = TL.Load(xi, i0 + span);
                TV a2r = TL.Load(xr, i0 + (2 * span)), a2i = TL.Load(xi, i0 + (2 * span));
                TV a3r = TL.Load(xr, i0 + (3 * span)), a3i = TL.Load(xi, i0 + (3 * span));
                TV a4r = TL.Load(xr, i0 + (4 * span)), a4i = TL.Load(xi, i0 + (4 * span));
                TV s14r = TL.Add(a1r, a4r), s14i = TL.Add(a1i, a4i), d14r = TL.Subtract(a1r, a4r), d14i = TL.Subtract(a1i, a4i);
                TV s23r = TL.Add(a2r, a3r), s23i = TL.Add(a2i, a3i), d23r = TL.Subtract(a2r, a3r), d23i = TL.Subtract(a2i, a3i);
                TL.Store(TL.Add(a0r, TL.Add(s14r, s23r)), yr, o0);
                TL.Store(TL.Add(a0i, TL.Add(s14i, s23i)), yi, o0);

                // X1,4 = A1 ∓ i·B1 with A1 = a0 + c1·s14 + c2·s23, B1 = s1·d14 + s2·d23.
                TV p1r = TL.MultiplyAdd(c1, s14r, TL.MultiplyAdd(c2, s23r, a0r)), p1i = TL.MultiplyAdd(c1, s14i, TL.MultiplyAdd(c2, s23i, a0i));
                TV q1r = TL.MultiplyAdd(s1, d14r, TL.Multiply(s2, d23r)), q1i = TL.MultiplyAdd(s1, d14i, TL.Multiply(s2, d23i));

                // X2,3 = A2 ∓ i·B2 with A2 = a0 + c2·s14 + c1·s23, B2 = s2·d14 − s1·d23.
                TV p2r = TL.MultiplyAdd(c2, s14r, TL.MultiplyAdd(c1, s23r, a0r)), p2i = TL.MultiplyAdd(c2, s14i, TL.MultiplyAdd(c1, s23i, a0i));
                TV q2r = TL.Subtract(TL.Multiply(s2, d14r), TL.Multiply(s1, d23r)), q2i = TL.Subtract(TL.Multiply(s2, d14i), TL.Multiply(s1, d23i));
                StoreTwiddled<TL, TV>(TL.Add(p1r, q1i), TL.Subtract(p1i, q1r), w1r, w1i, w1n, yr, yi, o0 + s);
                StoreTwiddled<TL, TV>(TL.Add(p2r, q2i), TL.Subtract(p2i, q2r), w2r, w2i, w2n, yr, yi, o0 + (2 * s));
                StoreTwiddled<TL, TV>(TL.Subtract(p2r, q2i), TL.Add(p2i, q2r), w3r, w3i, w3n, yr, yi, o0 + (3 * s));
                StoreTwiddled<TL, TV>(TL.Subtract(p1r, q1i), TL.Add(p1i, q1r), w4r, w4i, w4n, yr, yi, o0 + (4 * s));
            }
        }
    }

    /// <summary>Stores <c>(br + i·bi)·(wr + i·wi)</c>; <paramref name="wn"/> is −wi.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTwiddled<TL, TV>(TV br, TV bi, TV wr, TV wi, TV wn, Span<float> yr, Span<float> yi, int index)
        where TV : unmanaged
        where TL : struct, ILanes<TV>
    {
        TL.Store(TL.MultiplyAdd(br, wr, TL.Multiply(bi, wn)), yr, index);
        TL.Store(TL.MultiplyAdd(br, wi, TL.Multiply(bi, wr)), yi, index);
    }
}
