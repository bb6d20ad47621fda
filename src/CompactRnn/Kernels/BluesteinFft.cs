using System;
using System.Numerics;

namespace CompactRnn.Kernels;

/// <summary>
/// Bluestein's chirp-z algorithm (L. Bluestein, 1970): a length-N DFT as a cyclic convolution of length
/// M = 2^⌈log₂(2N−1)⌉, used when N has a prime factor too large for the direct odd radix.
/// With <c>w_n = exp(−iπn²/N)</c>, <c>nk = (n² + k² − (k−n)²)/2</c> gives
/// <c>X_k = w_k · Σ_n (x_n w_n) · conj(w_{k−n})</c>.
/// </summary>
internal sealed class BluesteinFft
{
    private readonly float[] _chirpRe;
    private readonly float[] _chirpIm;
    private readonly float[] _filterRe;
    private readonly float[] _filterIm;

    /// <summary>Precomputes the chirp (angles reduced mod 2N in integers, so they stay exact) and the filter spectrum.</summary>
    public BluesteinFft(int length)
    {
        Length = length;
        int padded = (int)BitOperations.RoundUpToPowerOf2((uint)((2 * length) - 1));
        Inner = FftPlan.ForLength(padded);
        _chirpRe = new float[length];
        _chirpIm = new float[length];
        double[] filterRe = new double[padded];
        double[] filterIm = new double[padded];
        for (int n = 0; n < length; n++)
        {
            long square = (long)n * n % (2L * length);
            double angle = -Math.PI * square / length;
            _chirpRe[n] = (float)Math.Cos(angle);
            _chirpIm[n] = (float)Math.Sin(angle);
            filterRe[n] = Math.Cos(angle);
            filterIm[n] = -Math.Sin(angle); // conj(w_n)
            if (n > 0)
            {
                filterRe[padded - n] = filterRe[n];
                filterIm[padded - n] = filterIm[n];
            }
        }

        // The filter's spectrum, with the 1/M of the inverse transform folded in.
        _filterRe = new float[padded];
        _filterIm = new float[padded];
        for (int i = 0; i < padded; i++)
        {
            _filterRe[i] = (float)filterRe[i];
            _filterIm[i] = (float)filterIm[i];
        }

        float[] scratch = new float[Inner.ScratchLength];
        Inner.Transform(_filterRe, _filterIm, scratch, int.MaxValue);
        float scale = 1f / padded;
        for (int i = 0; i < padded; i++)
        {
            _filterRe[i] *= scale;
            _filterIm[i] *= scale;
        }
    }

    /// <summary>N.</summary>
    public int Length { get; }

    /// <summary>Floats this transform holds itself (chirp and filter spectrum; the inner plan is counted on its own).</summary>
    public long Floats => (2L * _chirpRe.Length) + (2L * _filterRe.Length);

    /// <summary>The power-of-two plan of the convolution.</summary>
    public FftPlan Inner { get; }

    /// <summary>Floats of scratch: the padded sequence (2M) plus the inner plan's scratch.</summary>
    public int ScratchLength => (2 * Inner.Length) + Inner.ScratchLength;

    /// <summary>In-place forward DFT of (re, im).</summary>
    public void Transform(Span<float> re, Span<float> im, Span<float> scratch, int laneLimit)
    {
        int n = Length, padded = Inner.Length;
        Span<float> ar = scratch[..padded];
        Span<float> ai = scratch.Slice(padded, padded);
        Span<float> innerScratch = scratch[(2 * padded)..];
        ComplexSpans.Multiply(re, im, _chirpRe, _chirpIm, ar[..n], ai[..n], conjugateA: false, accumulate: false, laneLimit);
        ar[n..].Clear();
        ai[n..].Clear();
        Inner.Transform(ar, ai, innerScratch, laneLimit);
        ComplexSpans.Multiply(_filterRe, _filterIm, ar, ai, ar, ai, conjugateA: false, accumulate: false, laneLimit);
        Inner.Transform(ai, ar, innerScratch, laneLimit); // inverse by swapping real and imaginary parts
        ComplexSpans.Multiply(ar[..n], ai[..n], _chirpRe, _chirpIm, re, im, conjugateA: false, accumulate: false, laneLimit);
    }
}
