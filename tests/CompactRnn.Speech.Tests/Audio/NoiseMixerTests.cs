using System;
using CompactRnn.Speech.Audio;

namespace CompactRnn.Speech.Tests.Audio;

public class NoiseMixerTests
{
    [Theory]
    [InlineData(NoiseKind.White, 5.0)]
    [InlineData(NoiseKind.Pink, 20.0)]
    [InlineData(NoiseKind.Babble, 10.0)]
    public void AddNoise_TargetSnr_MeasuredSnrMatches(NoiseKind kind, double snr)
    {
        float[] clean = new float[16000];
        for (int n = 0; n < clean.Length; n++)
        {
            clean[n] = (float)(0.3 * Math.Sin(2.0 * Math.PI * 440.0 * n / 16000.0));
        }

        float[] noisy = (float[])clean.Clone();
        float[][] babble = [Noise(1), Noise(2)];

        NoiseMixer.AddNoise(noisy, kind, snr, new Random(3), babble);

        double signal = 0.0, noise = 0.0;
        for (int n = 0; n < clean.Length; n++)
        {
            signal += clean[n] * clean[n];
            noise += (noisy[n] - clean[n]) * (noisy[n] - clean[n]);
        }

        Assert.Equal(snr, 10.0 * Math.Log10(signal / noise), 2);
    }

    [Fact]
    public void AddNoise_BabbleWithoutSources_Throws()
    {
        Assert.Throws<ArgumentException>(() => NoiseMixer.AddNoise(new float[10], NoiseKind.Babble, 10.0, new Random(1)));
    }

    private static float[] Noise(int seed)
    {
        var random = new Random(seed);
        var samples = new float[5000];
        for (int n = 0; n < samples.Length; n++)
        {
            samples[n] = (float)(random.NextDouble() - 0.5);
        }

        return samples;
    }
}
