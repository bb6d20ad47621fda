using System.Runtime.CompilerServices;

namespace CompactRnn.Kernels;

/// <summary>
/// Elementary functions written once over <see cref="ILanes{TV}"/>, for the fused LSTM cell kernels: single-precision
/// accuracy (a few ulp) at a fraction of the cost of the runtime's vector exponential, which widens to double.
/// </summary>
internal static class LaneMath
{
    // e^x = 2^n · e^r with n = round(x / ln 2) and r = x − n·ln 2 ∈ [−ln2/2, ln2/2]; ln 2 split in a short high part
    // (exact in n·Ln2High for |n| ≤ 128) and a correction, so r keeps full precision (Cody and Waite's reduction).
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    // Inputs are clamped so that 2^n stays a normal float: e^88.7 ≈ 3.3e38 (below float.MaxValue), e^−87.3 ≈ 1.2e−38.
    private const float MaxInput = 88.7f;
    private const float MinInput = -87.3f;

    /// <summary>
    /// <c>e^x</c> lane-wise, relative error about 2 ulp. Saturates at about 3.3e38 above x = 88.7 and 1.2e−38 below
    /// x = −87.3 (so σ and tanh built on it saturate at exactly 0, ±1 where they should); NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp<TL, TV>(TV x)
        where TL : struct, ILanes<TV>
        where TV : unmanaged
    {
        x = TL.Min(TL.Max(x, TL.Broadcast(MinInput)), TL.Broadcast(MaxInput));
        TV n = TL.Round(TL.Multiply(x, TL.Broadcast(Log2E)));
        TV r = TL.Subtract(TL.Subtract(x, TL.Multiply(n, TL.Broadcast(Ln2High))), TL.Multiply(n, TL.Broadcast(Ln2Low)));

        // e^r ≈ 1 + r + r²·P(r), P a degree-5 minimax fit on [−ln2/2, ln2/2] (the classic single-precision coefficients).
        TV p = TL.Broadcast(1.9875691500e-4f);
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.3981999507e-3f));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(8.3334519073e-3f));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(4.1665795894e-2f));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.6666665459e-1f));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(5.0000001201e-1f));
        TV er = TL.Add(TL.MultiplyAdd(p, TL.Multiply(r, r), r), TL.Broadcast(1f));
        return TL.ScaleByPowerOfTwo(er, n);
    }

    /// <summary>σ(x) = 1 / (1 + e^{−x}), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid<TL, TV>(TV x)
        where TL : struct, ILanes<TV>
        where TV : unmanaged
    {
        TV one = TL.Broadcast(1f);
        return TL.Divide(one, TL.Add(one, Exp<TL, TV>(TL.Subtract(TL.Broadcast(0f), x))));
    }

    /// <summary>
    /// tanh(x) lane-wise, relative error a few ulp: an odd polynomial <c>x + x³·Q(x²)</c> for |x| &lt; 0.625, where
    /// <c>1 − 2/(e^{2x} + 1)</c> would cancel, and that formula elsewhere (saturating at ±1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh<TL, TV>(TV x)
        where TL : struct, ILanes<TV>
        where TV : unmanaged
    {
        TV one = TL.Broadcast(1f);
        TV large = TL.Subtract(one, TL.Divide(TL.Broadcast(2f), TL.Add(Exp<TL, TV>(TL.Add(x, x)), one)));
        TV z = TL.Multiply(x, x);
        TV q = TL.Broadcast(-5.70498872745e-3f);
        q = TL.MultiplyAdd(q, z, TL.Broadcast(2.06390887954e-2f));
        q = TL.MultiplyAdd(q, z, TL.Broadcast(-5.37397155531e-2f));
        q = TL.MultiplyAdd(q, z, TL.Broadcast(1.33314422036e-1f));
        q = TL.MultiplyAdd(q, z, TL.Broadcast(-3.33332819422e-1f));
        TV small = TL.MultiplyAdd(TL.Multiply(q, z), x, x);
        return TL.Select(TL.GreaterThanOrEqual(TL.Abs(x), TL.Broadcast(0.625f)), large, small);
    }
}
