using System;

namespace CompactRnn.Speech.Audio;

/// <summary>
/// Band-limited resampling between any two integer rates by windowed-sinc interpolation
/// (Smith's bandlimited interpolation, a polyphase form when the rate ratio is a small fraction L/M).
/// Output sample n sits at input time τ = n·in/out and is y[n] = Σ_j x[j]·h(τ − j) with
/// h(u) = f_c·sinc(f_c·u)·w(u/W), f_c = min(1, out/in) the cutoff relative to the input Nyquist
/// frequency, w a Blackman window of half-width W = 16/f_c input samples; each tap set is normalised to
/// unit DC gain. Samples outside the input are zero.
/// </summary>
public static class AudioResampler
{
    private const int ZeroCrossings = 16;
    private const int MaxTablePhases = 8192;

    /// <summary>Resamples <paramref name="input"/> from <paramref name="inputRate"/> Hz to <paramref name="outputRate"/> Hz.</summary>
    public static float[] Resample(ReadOnlySpan<float> input, int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputRate, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputRate, 1000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputRate, 384000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outputRate, 384000);
        if (inputRate == outputRate)
        {
            return input.ToArray();
        }

        int divisor = GreatestCommonDivisor(inputRate, outputRate);
        int up = outputRate / divisor;
        int down = inputRate / divisor;
        double cutoff = Math.Min(1.0, (double)outputRate / inputRate);
        int halfWidth = (int)Math.Ceiling(ZeroCrossings / cutoff);
        int taps = 2 * halfWidth;
        long outputLength = ((long)input.Length * up) / down;
        var output = new float[outputLength];

        float[]? table = null;
        if (up <= MaxTablePhases)
        {
            table = new float[up * taps];
            for (int phase = 0; phase < up; phase++)
            {
                FillTaps((double)phase / up, cutoff, halfWidth, table.AsSpan(phase * taps, taps));
            }
        }

        var scratch = new float[taps];
        for (long n = 0; n < outputLength; n++)
        {
            long position = n * down;
            long integer = position / up;
            int phase = (int)(position % up);
            Span<float> h;
            if (table is null)
            {
                FillTaps((double)phase / up, cutoff, halfWidth, scratch);
                h = scratch;
            }
            else
            {
                h = table.AsSpan(phase * taps, taps);
            }

            // Tap k multiplies x[integer − halfWidth + 1 + k].
            long first = integer - halfWidth + 1;
            int kStart = (int)Math.Max(0, -first);
            int kEnd = (int)Math.Min(taps, input.Length - first);
            float sum = 0f;
            for (int k = kStart; k < kEnd; k++)
            {
                sum += h[k] * input[(int)(first + k)];
            }

            output[n] = sum;
        }

        return output;
    }

    private static void FillTaps(double fraction, double cutoff, int halfWidth, Span<float> taps)
    {
        double total = 0.0;
        for (int k = 0; k < taps.Length; k++)
        {
            // Distance u = τ − j from the output instant to input sample j = integer − halfWidth + 1 + k.
            double u = fraction + halfWidth - 1 - k;
            double x = cutoff * u;
            double sinc = Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
            double r = (u / halfWidth) + 1.0; // 0 … 2 across the window support
            double window = Math.Abs(u) >= halfWidth
                ? 0.0
                : 0.42 - (0.5 * Math.Cos(Math.PI * r)) + (0.08 * Math.Cos(2.0 * Math.PI * r));
            double value = cutoff * sinc * window;
            taps[k] = (float)value;
            total += value;
        }

        for (int k = 0; k < taps.Length; k++)
        {
            taps[k] = (float)(taps[k] / total);
        }
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
