using System;

namespace CompactRnn.Speech.Audio;

/// <summary>
/// Reverberation with a synthetic room impulse response: a unit direct path followed by
/// <see cref="ReflectionCount"/> reflections at delays uniform in 2 ms … RT60, each with a Gaussian
/// amplitude under the envelope 10^(−3·t/RT60) (−60 dB at t = RT60), scaled so the reflections carry
/// <see cref="ReverbToDirectRatio"/> of the direct energy on average. Sparse taps keep the convolution cheap
/// (O(samples · taps)); the output is rescaled to the input's RMS so the later SNR draw keeps its meaning.
/// </summary>
public static class Reverberation
{
    /// <summary>Reflections per impulse response.</summary>
    public const int ReflectionCount = 120;

    /// <summary>Reflected-to-direct energy ratio (0.5 ≈ −3 dB).</summary>
    public const double ReverbToDirectRatio = 0.5;

    /// <summary>Convolves <paramref name="signal"/> (at <paramref name="sampleRate"/> Hz) with a synthetic RIR of the given RT60, in place.</summary>
    public static void Apply(float[] signal, int sampleRate, double rt60Seconds, Random random)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        if (!(rt60Seconds > 0.01 && rt60Seconds <= 5.0))
        {
            throw new ArgumentOutOfRangeException(nameof(rt60Seconds), rt60Seconds, "RT60 must lie in (0.01, 5] seconds.");
        }

        var delays = new int[ReflectionCount];
        var gains = new double[ReflectionCount];
        double energy = 0.0;
        for (int k = 0; k < ReflectionCount; k++)
        {
            double t = 0.002 + ((rt60Seconds - 0.002) * random.NextDouble());
            delays[k] = Math.Max(1, (int)(t * sampleRate));
            double gaussian = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
            gains[k] = gaussian * Math.Pow(10.0, -3.0 * t / rt60Seconds);
            energy += gains[k] * gains[k];
        }

        double scale = energy > 0 ? Math.Sqrt(ReverbToDirectRatio / energy) : 0.0;
        double inputPower = Power(signal);
        var output = new double[signal.Length];
        for (int n = 0; n < signal.Length; n++)
        {
            output[n] = signal[n];
        }

        for (int k = 0; k < ReflectionCount; k++)
        {
            double g = gains[k] * scale;
            for (int n = delays[k]; n < signal.Length; n++)
            {
                output[n] += g * signal[n - delays[k]];
            }
        }

        double outputPower = 0.0;
        foreach (double v in output)
        {
            outputPower += v * v;
        }

        double rescale = outputPower > 0 ? Math.Sqrt(inputPower * signal.Length / outputPower) : 1.0;
        for (int n = 0; n < signal.Length; n++)
        {
            signal[n] = (float)(output[n] * rescale);
        }
    }

    private static double Power(ReadOnlySpan<float> signal)
    {
        double sum = 0.0;
        foreach (float v in signal)
        {
            sum += (double)v * v;
        }

        return signal.Length == 0 ? 0.0 : sum / signal.Length;
    }
}
