using System;

namespace CompactRnn.Speech.Features;

/// <summary>
/// Power spectrum of a real frame of length N = 2^k by one complex radix-2 FFT of length N/2
/// (the "two real halves" packing: z[n] = x[2n] + i·x[2n+1], then
/// X[k] = ½(Z[k] + Z*[N/2−k]) − ½i·e^{−2πik/N}(Z[k] − Z*[N/2−k])).
/// Iterative Cooley–Tukey decimation in time with precomputed twiddles; not thread-safe (scratch buffers).
/// </summary>
internal sealed class RealFft
{
    private readonly int _size;
    private readonly int _half;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly int[] _bitReverse;
    private readonly double[] _re;
    private readonly double[] _im;

    /// <summary>Creates an FFT for frames of <paramref name="size"/> real samples (a power of two ≥ 4).</summary>
    public RealFft(int size)
    {
        if (size < 4 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two of at least 4.");
        }

        _size = size;
        _half = size / 2;
        _cos = new double[_half];
        _sin = new double[_half];
        for (int k = 0; k < _half; k++)
        {
            // Twiddles of the full length N: e^{-2πik/N}; the half-length FFT uses every second one.
            _cos[k] = Math.Cos(2.0 * Math.PI * k / size);
            _sin[k] = -Math.Sin(2.0 * Math.PI * k / size);
        }

        int bits = System.Numerics.BitOperations.Log2((uint)_half);
        _bitReverse = new int[_half];
        for (int i = 0; i < _half; i++)
        {
            int reversed = 0;
            for (int b = 0; b < bits; b++)
            {
                reversed |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReverse[i] = reversed;
        }

        _re = new double[_half];
        _im = new double[_half];
    }

    /// <summary>Number of real input samples.</summary>
    public int Size => _size;

    /// <summary>Writes |X[k]|² for k = 0 … N/2 into <paramref name="power"/> (length N/2 + 1).</summary>
    public void PowerSpectrum(ReadOnlySpan<float> frame, Span<float> power)
    {
        if (frame.Length != _size)
        {
            throw new ArgumentException($"Frame length {frame.Length} differs from FFT size {_size}.", nameof(frame));
        }

        if (power.Length != _half + 1)
        {
            throw new ArgumentException($"Power length {power.Length} must be {_half + 1}.", nameof(power));
        }

        for (int n = 0; n < _half; n++)
        {
            int target = _bitReverse[n];
            _re[target] = frame[2 * n];
            _im[target] = frame[(2 * n) + 1];
        }

        for (int length = 2; length <= _half; length <<= 1)
        {
            int halfLength = length >> 1;
            int stride = _size / length;
            for (int start = 0; start < _half; start += length)
            {
                for (int j = 0; j < halfLength; j++)
                {
                    double wr = _cos[j * stride];
                    double wi = _sin[j * stride];
                    int a = start + j;
                    int b = a + halfLength;
                    double tr = (wr * _re[b]) - (wi * _im[b]);
                    double ti = (wr * _im[b]) + (wi * _re[b]);
                    _re[b] = _re[a] - tr;
                    _im[b] = _im[a] - ti;
                    _re[a] += tr;
                    _im[a] += ti;
                }
            }
        }

        // Unpack the spectrum of the real signal from the half-length complex spectrum.
        power[0] = (float)((_re[0] + _im[0]) * (_re[0] + _im[0]));
        power[_half] = (float)((_re[0] - _im[0]) * (_re[0] - _im[0]));
        for (int k = 1; k < _half; k++)
        {
            double zr = _re[k];
            double zi = _im[k];
            double cr = _re[_half - k];
            double ci = -_im[_half - k];
            double evenRe = 0.5 * (zr + cr);
            double evenIm = 0.5 * (zi + ci);
            double oddRe = 0.5 * (zi - ci);
            double oddIm = -0.5 * (zr - cr);
            double wr = _cos[k];
            double wi = _sin[k];
            double xr = evenRe + ((wr * oddRe) - (wi * oddIm));
            double xi = evenIm + ((wr * oddIm) + (wi * oddRe));
            power[k] = (float)((xr * xr) + (xi * xi));
        }
    }
}
