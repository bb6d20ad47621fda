using System;
using System.Collections.Generic;

namespace CompactRnn.Speech.Audio;

/// <summary>
/// Additive noise at a target signal-to-noise ratio and gain, in place on float samples.
/// SNR is over the whole utterance: noise n is scaled by g with
/// 10·log10(Σ s² / Σ (g·n)²) = SNR, i.e. g = sqrt(P_s / (P_n·10^{SNR/10})).
/// </summary>
public static class NoiseMixer
{
    /// <summary>
    /// Mixes noise of <paramref name="kind"/> into <paramref name="signal"/> at <paramref name="snrDb"/>.
    /// Babble needs <paramref name="babbleSources"/> (at least one non-empty signal); each source starts at a
    /// random offset and loops. Does nothing for <see cref="NoiseKind.Clean"/> or a silent signal.
    /// </summary>
    public static void AddNoise(Span<float> signal, NoiseKind kind, double snrDb, Random random, IReadOnlyList<float[]>? babbleSources = null)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!double.IsFinite(snrDb))
        {
            throw new ArgumentOutOfRangeException(nameof(snrDb), snrDb, "SNR must be finite.");
        }

        if (kind == NoiseKind.Clean || signal.Length == 0)
        {
            return;
        }

        var noise = new float[signal.Length];
        switch (kind)
        {
            case NoiseKind.White:
                FillGaussian(noise, random, 1.0);
                break;
            case NoiseKind.Pink:
                FillPink(noise, random);
                break;
            case NoiseKind.Babble:
                FillBabble(noise, random, babbleSources);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown noise kind.");
        }

        double signalPower = Power(signal);
        double noisePower = Power(noise);
        if (signalPower <= 0.0 || noisePower <= 0.0)
        {
            return;
        }

        float gain = (float)Math.Sqrt(signalPower / (noisePower * Math.Pow(10.0, snrDb / 10.0)));
        for (int i = 0; i < signal.Length; i++)
        {
            signal[i] += gain * noise[i];
        }
    }

    /// <summary>Multiplies the signal by 10^{gainDb/20}.</summary>
    public static void ApplyGain(Span<float> signal, double gainDb)
    {
        float factor = (float)Math.Pow(10.0, gainDb / 20.0);
        for (int i = 0; i < signal.Length; i++)
        {
            signal[i] *= factor;
        }
    }

    /// <summary>Adds Gaussian noise of standard deviation <paramref name="amplitude"/> (e.g. one 16-bit step).</summary>
    public static void AddDither(Span<float> signal, double amplitude, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var noise = new float[signal.Length];
        FillGaussian(noise, random, amplitude);
        for (int i = 0; i < signal.Length; i++)
        {
            signal[i] += noise[i];
        }
    }

    private static double Power(ReadOnlySpan<float> samples)
    {
        double sum = 0.0;
        foreach (float s in samples)
        {
            sum += (double)s * s;
        }

        return sum / Math.Max(1, samples.Length);
    }

    private static void FillGaussian(Span<float> destination, Random random, double deviation)
    {
        // Box–Muller: two uniforms give two independent standard normals.
        for (int i = 0; i < destination.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1)) * deviation;
            destination[i] = (float)(radius * Math.Cos(2.0 * Math.PI * u2));
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = (float)(radius * Math.Sin(2.0 * Math.PI * u2));
            }
        }
    }

    private static void FillPink(Span<float> destination, Random random)
    {
        FillGaussian(destination, random, 1.0);

        // Paul Kellet's "economy" pink filter: three one-pole sections whose sum approximates 1/f
        // within about ±0.5 dB over the audio band.
        double b0 = 0.0, b1 = 0.0, b2 = 0.0;
        for (int i = 0; i < destination.Length; i++)
        {
            double white = destination[i];
            b0 = (0.99765 * b0) + (white * 0.0990460);
            b1 = (0.96300 * b1) + (white * 0.2965164);
            b2 = (0.57000 * b2) + (white * 1.0526913);
            destination[i] = (float)(b0 + b1 + b2 + (white * 0.1848));
        }
    }

    private static void FillBabble(Span<float> destination, Random random, IReadOnlyList<float[]>? sources)
    {
        if (sources is null || sources.Count == 0)
        {
            throw new ArgumentException("Babble noise needs at least one source signal.", nameof(sources));
        }

        destination.Clear();
        foreach (float[] source in sources)
        {
            if (source.Length == 0)
            {
                continue;
            }

            int offset = random.Next(source.Length);
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] += source[(offset + i) % source.Length];
            }
        }
    }
}
