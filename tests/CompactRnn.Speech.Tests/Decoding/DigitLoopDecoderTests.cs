using System;
using System.Collections.Generic;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Decoding;
using CompactRnn.Speech.Tests.Fixtures;

namespace CompactRnn.Speech.Tests.Decoding;

public class DigitLoopDecoderTests
{
    // Phones: 0 sil, 1 a, 2 b, 3 c (one state each). Words: "ab" = a b, "ca" = c a, "a" = a, "b" = b.
    private static readonly LexiconEntry[] Lexicon = [new("ab", [[1, 2]]), new("ca", [[3, 1]]), new("a", [[1]]), new("b", [[2]])];
    private static readonly float[] UniformPriors = [MathF.Log(0.25f), MathF.Log(0.25f), MathF.Log(0.25f), MathF.Log(0.25f)];

    [Theory]
    [InlineData(new[] { 0, 1, 1, 2, 2, 0 }, "ab")]
    [InlineData(new[] { 3, 3, 1, 0, 2, 0 }, "ca b")]
    [InlineData(new[] { 1, 2, 0, 3, 3, 1, 0, 1 }, "ab ca a")]
    [InlineData(new[] { 1, 0, 0, 1 }, "a a")]
    [InlineData(new[] { 3, 1, 0, 2 }, "ca b")]
    public void Decode_OneHotPosteriors_RecoversWords(int[] labels, string expected)
    {
        var decoder = new DigitLoopDecoder(Lexicon, 1, UniformPriors, DecoderOptions.Oracle with { WordInsertionPenalty = 1f });

        string[] words = decoder.Decode(OraclePosteriors.FromLabels(labels, 4), labels.Length);

        Assert.Equal(expected.Split(' '), words);
    }

    [Fact]
    public void Decode_SilenceOnly_StillReturnsOneWord()
    {
        var decoder = new DigitLoopDecoder(Lexicon, 1, UniformPriors, DecoderOptions.Oracle);

        string[] words = decoder.Decode(OraclePosteriors.FromLabels([0, 0, 0, 0], 4), 4);

        Assert.Single(words);
    }

    [Fact]
    public void Decode_RepeatedWordWithThreeStates_SeparatesRepetitions()
    {
        // With sub-states, "a a" (classes 1 2 3 1 2 3) is distinguishable from a long "a" (1 1 2 2 3 3).
        LexiconEntry[] lexicon = [new("a", [[1]]), new("b", [[2]])];
        float[] priors = new float[7];
        Array.Fill(priors, MathF.Log(1f / 7f));
        var decoder = new DigitLoopDecoder(lexicon, 3, priors, DecoderOptions.Oracle);

        string[] twice = decoder.Decode(OraclePosteriors.FromLabels([0, 1, 2, 3, 1, 2, 3, 0], 7), 8);
        string[] once = decoder.Decode(OraclePosteriors.FromLabels([0, 1, 1, 2, 2, 3, 3, 0], 7), 8);

        Assert.Equal(["a", "a"], twice);
        Assert.Equal(["a"], once);
    }

    [Fact]
    public void Decode_LargerInsertionPenalty_NeverProducesMoreWords()
    {
        // Ambiguous posteriors: each frame is half "a", half silence.
        var logPosteriors = new float[12 * 4];
        Array.Fill(logPosteriors, -10f);
        for (int t = 0; t < 12; t++)
        {
            logPosteriors[t * 4] = MathF.Log(0.5f);
            logPosteriors[(t * 4) + 1] = MathF.Log(0.5f);
        }

        var counts = new List<int>();
        foreach (float penalty in new[] { -5f, 0f, 5f, 20f })
        {
            var decoder = new DigitLoopDecoder(Lexicon, 1, UniformPriors, DecoderOptions.Oracle with { WordInsertionPenalty = penalty });
            counts.Add(decoder.Decode(logPosteriors, 12).Length);
        }

        for (int i = 1; i < counts.Count; i++)
        {
            Assert.True(counts[i] <= counts[i - 1], string.Join(",", counts));
        }

        Assert.True(counts[0] > counts[^1], string.Join(",", counts));
    }

    [Fact]
    public void Decode_DefaultOptions_RequireTwoFramesPerState()
    {
        var decoder = new DigitLoopDecoder(Lexicon, 1, UniformPriors);

        string[] words = decoder.Decode(OraclePosteriors.FromLabels([0, 3, 3, 1, 1, 0], 4), 6);

        Assert.Equal(["ca"], words);
        Assert.Equal(2, decoder.Options.MinimumFramesPerState);
    }

    [Fact]
    public void Constructor_MinimumFramesOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DigitLoopDecoder(Lexicon, 1, UniformPriors, new DecoderOptions { MinimumFramesPerState = 0 }));
    }

    [Fact]
    public void Decode_WrongPosteriorLength_Throws()
    {
        var decoder = new DigitLoopDecoder(Lexicon, 1, UniformPriors);

        Assert.Throws<ArgumentException>(() => decoder.Decode(new float[10], 3));
    }

    [Fact]
    public void Constructor_LexiconPhoneOutsideClasses_Throws()
    {
        LexiconEntry[] lexicon = [new("x", [[9]])];

        Assert.Throws<ArgumentException>(() => new DigitLoopDecoder(lexicon, 1, UniformPriors));
    }
}
