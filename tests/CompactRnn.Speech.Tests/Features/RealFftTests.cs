using System;
using CompactRnn.Speech.Features;

namespace CompactRnn.Speech.Tests.Features;

public class RealFftTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(512)]
    public void PowerSpectrum_RandomFrame_MatchesDirectDft(int size)
    {
        var random = new Random(7);
        var frame = new float[size];
        for (int n = 0; n < size; n++)
        {
            frame[n] = (float)((random.NextDouble() * 2.0) - 1.0);
        }

        var power = new float[(size / 2) + 1];
        new RealFft(size).PowerSpectrum(frame, power);

        for (int k = 0; k <= size / 2; k++)
        {
            double re = 0.0, im = 0.0;
            for (int n = 0; n < size; n++)
            {
                re += frame[n] * Math.Cos(2.0 * Math.PI * k * n / size);
                im -= frame[n] * Math.Sin(2.0 * Math.PI * k * n / size);
            }

            double expected = (re * re) + (im * im);
            Assert.True(Math.Abs(power[k] - expected) <= 1e-4 * Math.Max(1.0, expected), $"bin {k}: {power[k]} vs {expected}");
        }
    }

    [Fact]
    public void Constructor_SizeNotPowerOfTwo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(400));
    }
}
