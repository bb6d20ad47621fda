using System;

namespace CompactRnn.Speech.Audio;

/// <summary>
/// Channel colouring: a first-order tilt y[n] = x[n] − b·x[n−1] (gain 1 − b at DC and 1 + b at Nyquist;
/// b = 0.4 is +7.4 dB of tilt towards high frequencies, b = −0.4 the reverse) and a peaking EQ band
/// (second-order section with the usual audio-EQ-cookbook coefficients: A = 10^(G/40), ω0 = 2π·f0/fs,
/// α = sin ω0 / (2Q); b = [1 + αA, −2 cos ω0, 1 − αA], a = [1 + α/A, −2 cos ω0, 1 − α/A]).
/// </summary>
public static class SpectralShaping
{
    /// <summary>Applies the first-order tilt with coefficient <paramref name="b"/> ∈ [−0.9, 0.9] in place.</summary>
    public static void Tilt(Span<float> signal, double b)
    {
        if (!(b >= -0.9 && b <= 0.9))
        {
            throw new ArgumentOutOfRangeException(nameof(b), b, "The tilt coefficient must lie in [-0.9, 0.9].");
        }

        float previous = 0f;
        for (int n = 0; n < signal.Length; n++)
        {
            float x = signal[n];
            signal[n] = (float)(x - (b * previous));
            previous = x;
        }
    }

    /// <summary>Applies a peaking EQ band at <paramref name="centreHz"/> with <paramref name="gainDb"/> and quality <paramref name="q"/> in place.</summary>
    public static void Peaking(Span<float> signal, int sampleRate, double centreHz, double gainDb, double q = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        if (!(centreHz > 0 && centreHz < sampleRate / 2.0))
        {
            throw new ArgumentOutOfRangeException(nameof(centreHz), centreHz, "The centre must lie between 0 and the Nyquist frequency.");
        }

        if (!(Math.Abs(gainDb) <= 24.0) || !(q > 0.05 && q < 20.0))
        {
            throw new ArgumentOutOfRangeException(nameof(gainDb), gainDb, "Gain must lie in ±24 dB and Q in (0.05, 20).");
        }

        double a = Math.Pow(10.0, gainDb / 40.0);
        double w0 = 2.0 * Math.PI * centreHz / sampleRate;
        double alpha = Math.Sin(w0) / (2.0 * q);
        double cos = Math.Cos(w0);
        double a0 = 1.0 + (alpha / a);
        double b0 = (1.0 + (alpha * a)) / a0, b1 = -2.0 * cos / a0, b2 = (1.0 - (alpha * a)) / a0;
        double a1 = -2.0 * cos / a0, a2 = (1.0 - (alpha / a)) / a0;
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (int n = 0; n < signal.Length; n++)
        {
            double x = signal[n];
            double y = (b0 * x) + (b1 * x1) + (b2 * x2) - (a1 * y1) - (a2 * y2);
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            signal[n] = (float)y;
        }
    }
}
