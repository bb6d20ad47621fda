using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>
/// A complex FFT of any length N, <c>X_k = Σ_n x_n·exp(−2πi·nk/N)</c>, on split-complex float spans,
/// in place, unnormalised in both directions (<c>Inverse(Forward(x)) = N·x</c>).
/// </summary>
/// <remarks>
/// <para>Algorithm: self-sorting Stockham passes (decimation in frequency, no bit reversal) of radix
/// 4, 2, 3 and 5, plus a direct O(p²) pass for other primes p ≤ <see cref="MaxDirectPrime"/>; lengths with
/// a larger prime factor use Bluestein's chirp-z convolution (<see cref="BluesteinFft"/>). The pass
/// formulation follows Stockham (1966) as described by Van Loan, "Computational Frameworks for the FFT".</para>
/// <para>Plans are immutable, built once per N and shared (<see cref="ForLength"/>); twiddles are computed
/// in double and rounded once. The process-wide cache is bounded (<see cref="MaxCachedPlans"/> plans,
/// <see cref="MaxCachedFloats"/> floats): when a new plan would exceed either bound the cache is emptied first, so
/// hostile or merely many sizes cannot grow it without limit; plans already handed out stay valid (their users hold
/// them), and a plan larger than the whole budget is returned without being cached. Execution allocates nothing: the caller passes <see cref="ScratchLength"/>
/// floats, so concurrent calls with distinct scratch are safe.</para>
/// <para>Vectorisation: each pass runs its butterflies over the contiguous inner index with the widest
/// available lanes (512, 256, 128 bits), the remainder in scalar code; the first radix-4 passes, whose inner
/// index is shorter than a vector, run over t·s + q instead (<see cref="FftSmallStridePass"/>). Error: about
/// ε_float·log₂N relative to ‖x‖ (measured in FftTests).</para>
/// <para>Measured (Stopwatch, best of 7, busy 2-core AVX-512 machine, complex float, in place): N = 1024
/// 0.8 µs, 1000 1.0 µs, 2048 1.4 µs, 257 (Bluestein) 1.9 µs; the scalar path 6–8 µs at N = 1024; MathNet.Numerics
/// 5.0.0 <c>Fourier.Forward(Complex32[], NoScaling)</c> 40–90 µs at 1024, 150–300 µs at 1000, 100–170 µs at 257;
/// a naive DFT 18–30 ms at 1024. So the library does not use MathNet for transforms.</para>
/// <para>Real data: there is no separate real-input transform; callers pack two real sequences a, b into one
/// complex transform of a + i·b (the classic "two real FFTs for the price of one"), which the Toeplitz-like
/// gate matrix does for its generator pairs.</para>
/// </remarks>
internal sealed class FftPlan
{
    /// <summary>Largest prime factor handled by a direct pass; above it Bluestein is cheaper.</summary>
    public const int MaxDirectPrime = 61;

    /// <summary>Most plans the shared cache holds.</summary>
    public const int MaxCachedPlans = 64;

    /// <summary>Most floats (twiddles and tables) the shared cache holds: 64 Mi floats, 256 MiB.</summary>
    public const long MaxCachedFloats = 64L << 20;

    private static readonly Dictionary<int, FftPlan> Plans = [];
    private static readonly Lock PlansGate = new();
    private static long s_cachedFloats;

    /// <summary>Floats in the widest hardware-accelerated vector (1 when none is).</summary>
    private static readonly int WidestLanes = Lanes512.IsAccelerated ? 16 : Lanes256.IsAccelerated ? 8 : Lanes128.IsAccelerated ? 4 : 1;

    private readonly FftStage[] _stages;
    private readonly BluesteinFft? _bluestein;

    private FftPlan(int length)
    {
        Length = length;
        List<int>? radices = Factor(length);
        if (radices is null)
        {
            _stages = [];
            _bluestein = new BluesteinFft(length);
            ScratchLength = _bluestein.ScratchLength;
            return;
        }

        _stages = new FftStage[radices.Count];
        int stride = 1;
        for (int i = 0; i < radices.Count; i++)
        {
            int radix = radices[i];
            _stages[i] = new FftStage(radix, stride, length / (stride * radix));
            stride *= radix;
        }

        ScratchLength = 2 * length;
    }

    /// <summary>N.</summary>
    public int Length { get; }

    /// <summary>Floats of scratch one call needs.</summary>
    public int ScratchLength { get; }

    /// <summary>True when the length goes through Bluestein's algorithm.</summary>
    public bool UsesBluestein => _bluestein is not null;

    /// <summary>Floats this plan holds itself (stage twiddles, or Bluestein's chirp and filter; an inner plan is counted on its own).</summary>
    public long Floats => _bluestein?.Floats ?? _stages.Sum(stage => stage.Floats);

    /// <summary>Bluestein's inner power-of-two plan, or null for a direct plan.</summary>
    public FftPlan? Inner => _bluestein?.Inner;

    /// <summary>Bytes this plan holds itself (<see cref="Floats"/> floats; an inner plan is counted on its own).</summary>
    public long Bytes => sizeof(float) * Floats;

    /// <summary>Plans in the shared cache now.</summary>
    internal static int CachedPlanCount
    {
        get
        {
            lock (PlansGate)
            {
                return Plans.Count;
            }
        }
    }

    /// <summary>Floats held by the shared cache now.</summary>
    internal static long CachedFloats
    {
        get
        {
            lock (PlansGate)
            {
                return s_cachedFloats;
            }
        }
    }

    /// <summary>The shared plan for length <paramref name="length"/> ≥ 1, built on first use (see the cache bounds above).</summary>
    public static FftPlan ForLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        lock (PlansGate)
        {
            if (Plans.TryGetValue(length, out FftPlan? cached))
            {
                return cached;
            }
        }

        var plan = new FftPlan(length); // outside the lock: a Bluestein plan asks for its inner plan
        long floats = plan.Floats;
        lock (PlansGate)
        {
            if (Plans.TryGetValue(length, out FftPlan? raced))
            {
                return raced; // another thread built it meanwhile; keep one instance
            }

            if (floats > MaxCachedFloats)
            {
                return plan;
            }

            if (Plans.Count >= MaxCachedPlans || s_cachedFloats + floats > MaxCachedFloats)
            {
                Plans.Clear();
                s_cachedFloats = 0;
            }

            Plans.Add(length, plan);
            s_cachedFloats += floats;
            return plan;
        }
    }

    /// <summary>In-place forward transform of (re, im), each of length N.</summary>
    public void Forward(Span<float> re, Span<float> im, Span<float> scratch) => Transform(re, im, scratch, int.MaxValue);

    /// <summary>
    /// In-place unnormalised inverse, <c>x_n = Σ_k X_k·exp(+2πi·nk/N)</c>: the forward transform with real
    /// and imaginary parts swapped on the way in and out (swap(z) = i·conj(z)).
    /// </summary>
    public void Inverse(Span<float> re, Span<float> im, Span<float> scratch) => Transform(im, re, scratch, int.MaxValue);

    /// <summary>The forward transform with the lane width capped at <paramref name="laneLimit"/> floats (1 = scalar).</summary>
    internal void Transform(Span<float> re, Span<float> im, Span<float> scratch, int laneLimit)
    {
        int n = Length;
        Debug.Assert(re.Length >= n && im.Length >= n && scratch.Length >= ScratchLength);
        re = re[..n];
        im = im[..n];
        if (_bluestein is not null)
        {
            _bluestein.Transform(re, im, scratch, laneLimit);
            return;
        }

        Span<float> otherRe = scratch[..n];
        Span<float> otherIm = scratch.Slice(n, n);
        bool inScratch = false;
        foreach (FftStage stage in _stages)
        {
            if (inScratch)
            {
                RunStage(stage, otherRe, otherIm, re, im, laneLimit);
            }
            else
            {
                RunStage(stage, re, im, otherRe, otherIm, laneLimit);
            }

            inScratch = !inScratch;
        }

        if (inScratch)
        {
            otherRe.CopyTo(re);
            otherIm.CopyTo(im);
        }
    }

    private static void RunStage(FftStage stage, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, int laneLimit)
    {
        int s = stage.Stride;
        if (stage.Radix > 5)
        {
            FftButterflies.Generic(stage, xr, xi, yr, yi);
            return;
        }

        if (stage.Radix == 4 && s < Math.Min(laneLimit, WidestLanes))
        {
            RunSmallStrideRadix4(stage, xr, xi, yr, yi, laneLimit);
            return;
        }

        int q = 0;
        if (laneLimit >= 16 && Lanes512.IsAccelerated && s - q >= 16)
        {
            int end = q + ((s - q) & ~15);
            FftButterflies.Run<Lanes512, Vector512<float>>(stage, xr, xi, yr, yi, q, end);
            q = end;
        }

        if (laneLimit >= 8 && Lanes256.IsAccelerated && s - q >= 8)
        {
            int end = q + ((s - q) & ~7);
            FftButterflies.Run<Lanes256, Vector256<float>>(stage, xr, xi, yr, yi, q, end);
            q = end;
        }

        if (laneLimit >= 4 && Lanes128.IsAccelerated && s - q >= 4)
        {
            int end = q + ((s - q) & ~3);
            FftButterflies.Run<Lanes128, Vector128<float>>(stage, xr, xi, yr, yi, q, end);
            q = end;
        }

        if (q < s)
        {
            FftButterflies.Run<Lanes1, float>(stage, xr, xi, yr, yi, q, s);
        }
    }

    /// <summary>A radix-4 pass with s below the widest allowed lane count, vectorised over j = t·s + q.</summary>
    private static void RunSmallStrideRadix4(FftStage stage, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, int laneLimit)
    {
        int s = stage.Stride, j = 0;
        if (laneLimit >= 16 && Lanes512.IsAccelerated && 2 * s <= 16)
        {
            j = FftSmallStridePass.Radix4<Lanes512, Vector512<float>>(stage, xr, xi, yr, yi, j);
        }

        if (laneLimit >= 8 && Lanes256.IsAccelerated && 2 * s <= 8)
        {
            j = FftSmallStridePass.Radix4<Lanes256, Vector256<float>>(stage, xr, xi, yr, yi, j);
        }

        if (laneLimit >= 4 && Lanes128.IsAccelerated && 2 * s <= 4)
        {
            j = FftSmallStridePass.Radix4<Lanes128, Vector128<float>>(stage, xr, xi, yr, yi, j);
        }

        FftButterflies.Run<Lanes1, float>(stage, xr, xi, yr, yi, 0, s, j / s);
    }

    /// <summary>Radices 4, 2, 3, 5, then other small primes; null when a prime factor exceeds <see cref="MaxDirectPrime"/>.</summary>
    private static List<int>? Factor(int length)
    {
        var radices = new List<int>();
        int rest = length;
        while (rest % 4 == 0)
        {
            radices.Add(4);
            rest /= 4;
        }

        foreach (int small in (ReadOnlySpan<int>)[2, 3, 5])
        {
            while (rest % small == 0)
            {
                radices.Add(small);
                rest /= small;
            }
        }

        for (int p = 7; rest > 1; p += 2)
        {
            if (p > MaxDirectPrime)
            {
                return null;
            }

            while (rest % p == 0)
            {
                radices.Add(p);
                rest /= p;
            }
        }

        return radices;
    }
}
