using System;
using System.Linq;
using CompactRnn.Speech.Audio;

namespace CompactRnn.Speech.Tests.Audio;

public class ChannelEffectsTests
{
    private static float[] Sine(double hz, int rate, int length) =>
        [.. Enumerable.Range(0, length).Select(n => (float)(0.25 * Math.Sin(2 * Math.PI * hz * n / rate)))];

    private static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum / x.Length);
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(-0.3)]
    public void Tilt_ConstantInput_SettlesAtOneMinusB(double b)
    {
        float[] x = [.. Enumerable.Repeat(0.5f, 10)];

        SpectralShaping.Tilt(x, b);

        Assert.Equal(0.5, x[0], 6);
        Assert.All(x.Skip(1), v => Assert.Equal(0.5 * (1 - b), v, 6));
    }

    [Theory]
    [InlineData(1000.0, 6.0)]
    [InlineData(400.0, -9.0)]
    public void Peaking_SineAtCentre_GetsTheBandGain_FarAwayUnchanged(double centre, double gainDb)
    {
        const int rate = 16000;
        float[] atCentre = Sine(centre, rate, rate);
        float[] far = Sine(centre < 1000 ? centre * 8 : centre / 8, rate, rate);
        double before = Rms(atCentre.AsSpan(rate / 2));

        SpectralShaping.Peaking(atCentre, rate, centre, gainDb);
        SpectralShaping.Peaking(far, rate, centre, gainDb);

        Assert.Equal(Math.Pow(10, gainDb / 20), Rms(atCentre.AsSpan(rate / 2)) / before, 2);
        Assert.InRange(Rms(far.AsSpan(rate / 2)) / before, 0.85, 1.15);
    }

    [Fact]
    public void Reverberation_KeepsRmsAndSpreadsAnImpulse()
    {
        var random = new Random(3);
        float[] x = new float[16000];
        x[100] = 1f;

        Reverberation.Apply(x, 16000, 0.4, random);

        double rms = Rms(x);
        Assert.Equal(Math.Sqrt(1.0 / 16000), rms, 6);
        Assert.True(x.Skip(200).Count(v => v != 0f) >= Reverberation.ReflectionCount / 2, "reflections after the direct path");
        Assert.Equal(0f, x[99]);
        Assert.True(x[100] > 0f && x.Skip(101).All(v => Math.Abs(v) < x[100]), "the direct path stays the strongest tap");
        Assert.All(x.Skip(100 + (int)(0.4 * 16000) + 1), v => Assert.Equal(0f, v)); // nothing after RT60
    }

    [Fact]
    public void Arguments_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SpectralShaping.Tilt(new float[4], 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpectralShaping.Peaking(new float[4], 16000, 9000, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reverberation.Apply(new float[4], 16000, 0, new Random(1)));
    }
}
