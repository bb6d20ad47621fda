using System;
using CompactRnn.Speech.Audio;

namespace CompactRnn.Speech.Tests.Audio;

public class AudioResamplerTests
{
    [Theory]
    [InlineData(22050, 16000, 1000.0)]
    [InlineData(8000, 16000, 1000.0)]
    [InlineData(44100, 16000, 3000.0)]
    [InlineData(11025, 16000, 2000.0)]
    public void Resample_InBandTone_KeepsFrequencyAndAmplitude(int inputRate, int outputRate, double hertz)
    {
        var input = new float[inputRate];
        for (int n = 0; n < input.Length; n++)
        {
            input[n] = (float)(0.5 * Math.Sin(2.0 * Math.PI * hertz * n / inputRate));
        }

        float[] output = AudioResampler.Resample(input, inputRate, outputRate);

        Assert.Equal(outputRate, output.Length);
        double maxError = 0.0;
        for (int n = 200; n < output.Length - 200; n++)
        {
            double expected = 0.5 * Math.Sin(2.0 * Math.PI * hertz * n / outputRate);
            maxError = Math.Max(maxError, Math.Abs(output[n] - expected));
        }

        Assert.True(maxError < 0.01, $"max error {maxError}");
    }

    [Fact]
    public void Resample_ToneAboveOutputNyquist_IsSuppressed()
    {
        var input = new float[22050];
        for (int n = 0; n < input.Length; n++)
        {
            input[n] = (float)Math.Sin(2.0 * Math.PI * 10000.0 * n / 22050.0);
        }

        float[] output = AudioResampler.Resample(input, 22050, 16000);

        double power = 0.0;
        for (int n = 200; n < output.Length - 200; n++)
        {
            power += output[n] * output[n];
        }

        power /= output.Length - 400;
        Assert.True(power < 1e-4, $"alias power {power}");
    }

    [Fact]
    public void Resample_RateOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioResampler.Resample(new float[10], 10, 16000));
    }
}
