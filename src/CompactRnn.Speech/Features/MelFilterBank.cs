using System;

namespace CompactRnn.Speech.Features;

/// <summary>
/// Triangular mel filters on a power spectrum, HTK mel scale mel(f) = 2595·log10(1 + f/700).
/// Filter m rises linearly from centre m−1 to centre m and falls to centre m+1, centres equally spaced
/// in mel between the low and high edges. Stored sparsely (first bin and weights per filter).
/// </summary>
internal sealed class MelFilterBank
{
    private readonly int[] _firstBin;
    private readonly float[][] _weights;

    /// <summary>Builds <paramref name="filterCount"/> filters for an FFT of <paramref name="fftSize"/> at <paramref name="sampleRate"/>.</summary>
    public MelFilterBank(int filterCount, int fftSize, int sampleRate, double lowHz, double highHz)
    {
        FilterCount = filterCount;
        int binCount = (fftSize / 2) + 1;
        double lowMel = HzToMel(lowHz);
        double highMel = HzToMel(highHz);
        var centresHz = new double[filterCount + 2];
        for (int i = 0; i < centresHz.Length; i++)
        {
            centresHz[i] = MelToHz(lowMel + ((highMel - lowMel) * i / (filterCount + 1)));
        }

        _firstBin = new int[filterCount];
        _weights = new float[filterCount][];
        double binHz = (double)sampleRate / fftSize;
        for (int m = 0; m < filterCount; m++)
        {
            double left = centresHz[m];
            double centre = centresHz[m + 1];
            double right = centresHz[m + 2];
            int first = Math.Max(0, (int)Math.Ceiling(left / binHz));
            int last = Math.Min(binCount - 1, (int)Math.Floor(right / binHz));
            var weights = new float[Math.Max(0, last - first + 1)];
            for (int bin = first; bin <= last; bin++)
            {
                double f = bin * binHz;
                double w = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
                weights[bin - first] = (float)Math.Max(0.0, w);
            }

            _firstBin[m] = first;
            _weights[m] = weights;
        }
    }

    /// <summary>Number of filters.</summary>
    public int FilterCount { get; }

    /// <summary>energies[m] = Σ_k w_m(k)·power[k].</summary>
    public void Apply(ReadOnlySpan<float> power, Span<float> energies)
    {
        for (int m = 0; m < FilterCount; m++)
        {
            float[] weights = _weights[m];
            ReadOnlySpan<float> bins = power.Slice(_firstBin[m], weights.Length);
            float sum = 0f;
            for (int i = 0; i < weights.Length; i++)
            {
                sum += weights[i] * bins[i];
            }

            energies[m] = sum;
        }
    }

    private static double HzToMel(double hz) => 2595.0 * Math.Log10(1.0 + (hz / 700.0));

    private static double MelToHz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);
}
