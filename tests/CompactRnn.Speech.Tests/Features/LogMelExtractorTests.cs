using System;
using CompactRnn.Speech.Features;

namespace CompactRnn.Speech.Tests.Features;

public class LogMelExtractorTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(399, 0)]
    [InlineData(400, 1)]
    [InlineData(559, 1)]
    [InlineData(560, 2)]
    [InlineData(16000, 98)]
    public void FrameCount_SampleCount_Uses25msWindow10msHop(int samples, int frames)
    {
        Assert.Equal(frames, LogMelExtractor.FrameCount(samples));
    }

    [Fact]
    public void Extract_LowAndHighTone_EnergyPeaksInLowAndHighFilters()
    {
        float[] low = Tone(300.0, 16000);
        float[] high = Tone(5000.0, 16000);
        var extractor = new LogMelExtractor();

        float[] lowFeatures = extractor.Extract(low);
        float[] highFeatures = extractor.Extract(high);

        int lowPeak = ArgMax(lowFeatures.AsSpan(10 * 40, 40));
        int highPeak = ArgMax(highFeatures.AsSpan(10 * 40, 40));
        Assert.Equal(98 * 40, lowFeatures.Length);
        Assert.InRange(lowPeak, 3, 9);
        Assert.InRange(highPeak, 30, 37);
    }

    [Fact]
    public void Extract_Silence_GivesTheLogFloor()
    {
        float[] features = new LogMelExtractor().Extract(new float[1600]);

        Assert.All(features, f => Assert.Equal(MathF.Log(1e-10f), f, 4));
    }

    private static float[] Tone(double hertz, int length)
    {
        var samples = new float[length];
        for (int n = 0; n < length; n++)
        {
            samples[n] = (float)(0.5 * Math.Sin(2.0 * Math.PI * hertz * n / 16000.0));
        }

        return samples;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
