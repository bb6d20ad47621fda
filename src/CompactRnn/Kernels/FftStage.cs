using System;

namespace CompactRnn.Kernels;

/// <summary>
/// One pass of the self-sorting (Stockham) decimation-in-frequency FFT: radix <see cref="Radix"/> = p,
/// stride <see cref="Stride"/> = s (product of the radices of earlier passes) and
/// <see cref="Count"/> = m = N/(s·p) twiddle groups. It reads <c>a_k = x[q + s(t + m k)]</c>, k &lt; p, and writes
/// <c>y[q + s(p t + r)] = ω_{mp}^{r t} · Σ_k a_k ω_p^{r k}</c> with <c>ω_L = exp(−2πi/L)</c>, for t &lt; m, q &lt; s.
/// </summary>
internal sealed class FftStage
{
    /// <summary>Precomputes the pass's twiddles in double and rounds them to float once.</summary>
    public FftStage(int radix, int stride, int count)
    {
        Radix = radix;
        Stride = stride;
        Count = count;
        TwiddleRe = new float[count * (radix - 1)];
        TwiddleIm = new float[count * (radix - 1)];
        long length = (long)count * radix;
        for (int t = 0; t < count; t++)
        {
            for (int r = 1; r < radix; r++)
            {
                double angle = -2.0 * Math.PI * ((long)r * t % length) / length;
                TwiddleRe[(t * (radix - 1)) + r - 1] = (float)Math.Cos(angle);
                TwiddleIm[(t * (radix - 1)) + r - 1] = (float)Math.Sin(angle);
            }
        }

        // Passes with s below the widest lane count run vectorised over j = t·s + q and read their
        // twiddles expanded by column: [(r − 1)·m·s + j] = ω^{r·⌊j/s⌋}.
        int expanded = count * stride;
        ExpandedTwiddleRe = new float[stride < MaxExpandedStride ? (radix - 1) * expanded : 0];
        ExpandedTwiddleIm = new float[ExpandedTwiddleRe.Length];
        for (int i = 0; i < ExpandedTwiddleRe.Length; i++)
        {
            int t = i % expanded / stride, r = (i / expanded) + 1;
            ExpandedTwiddleRe[i] = TwiddleRe[(t * (radix - 1)) + r - 1];
            ExpandedTwiddleIm[i] = TwiddleIm[(t * (radix - 1)) + r - 1];
        }

        RootRe = new float[radix];
        RootIm = new float[radix];
        for (int k = 0; k < radix; k++)
        {
            double angle = -2.0 * Math.PI * k / radix;
            RootRe[k] = (float)Math.Cos(angle);
            RootIm[k] = (float)Math.Sin(angle);
        }
    }

    /// <summary>Floats this pass holds (twiddles, expanded twiddles, roots).</summary>
    public long Floats => (2L * TwiddleRe.Length) + (2L * ExpandedTwiddleRe.Length) + (2L * RootRe.Length);

    /// <summary>p, the length of the small DFTs of this pass.</summary>
    public int Radix { get; }

    /// <summary>s, the contiguous inner extent (the loop that is vectorised).</summary>
    public int Stride { get; }

    /// <summary>m, the number of twiddle groups.</summary>
    public int Count { get; }

    /// <summary>Re ω_{mp}^{r t} at <c>[t·(p−1) + r − 1]</c>.</summary>
    public float[] TwiddleRe { get; }

    /// <summary>Im ω_{mp}^{r t} at <c>[t·(p−1) + r − 1]</c>.</summary>
    public float[] TwiddleIm { get; }

    /// <summary>Strides below this (the widest lane count) get expanded twiddle tables.</summary>
    public const int MaxExpandedStride = 16;

    /// <summary>Re ω_{mp}^{r⌊j/s⌋} at <c>[(r − 1)·m·s + j]</c> when s &lt; <see cref="MaxExpandedStride"/> (empty otherwise).</summary>
    public float[] ExpandedTwiddleRe { get; }

    /// <summary>Im part of <see cref="ExpandedTwiddleRe"/>.</summary>
    public float[] ExpandedTwiddleIm { get; }

    /// <summary>Re ω_p^k, k &lt; p (used by the generic odd radix).</summary>
    public float[] RootRe { get; }

    /// <summary>Im ω_p^k, k &lt; p.</summary>
    public float[] RootIm { get; }
}
