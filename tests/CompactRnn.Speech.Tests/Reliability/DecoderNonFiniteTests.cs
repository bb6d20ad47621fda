using System;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Decoding;
using CompactRnn.Speech.Tests.Fixtures;

namespace CompactRnn.Speech.Tests.Reliability;

/// <summary>Issue #13 defect 4: a diverged model's NaN posteriors get a clear argument error, not an index error.</summary>
public class DecoderNonFiniteTests
{
    private static readonly LexiconEntry[] Lexicon = [new("ab", [[1, 2]]), new("a", [[1]])];
    private static readonly float[] UniformPriors = [MathF.Log(0.25f), MathF.Log(0.25f), MathF.Log(0.25f), MathF.Log(0.25f)];

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Decode_NonFinitePosterior_ThrowsArgumentExceptionNamingFrameAndClass(float bad)
    {
        var decoder = new DigitLoopDecoder(Lexicon, 1, UniformPriors, DecoderOptions.Oracle);
        float[] posteriors = OraclePosteriors.FromLabels([0, 1, 2, 0], 4);
        posteriors[(2 * 4) + 3] = bad;

        var error = Assert.Throws<ArgumentException>(() => decoder.Decode(posteriors, 4));

        Assert.Equal("logPosteriors", error.ParamName);
        Assert.Contains("frame 2, class 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_AllNaN_ThrowsArgumentException()
    {
        var decoder = new DigitLoopDecoder(Lexicon, 1, UniformPriors, DecoderOptions.Oracle);
        float[] posteriors = new float[5 * 4];
        Array.Fill(posteriors, float.NaN);

        Assert.Throws<ArgumentException>(() => decoder.Decode(posteriors, 5));
    }

    [Fact]
    public void Decode_NegativeInfinity_IsAZeroPosteriorAndStillDecodes()
    {
        var decoder = new DigitLoopDecoder(Lexicon, 1, UniformPriors, DecoderOptions.Oracle);
        float[] posteriors = OraclePosteriors.FromLabels([0, 1, 2, 0], 4);
        posteriors[1] = float.NegativeInfinity;

        Assert.Equal(["ab"], decoder.Decode(posteriors, 4));
    }
}
