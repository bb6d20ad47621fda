using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Speech.Tests.Scoring;

public class BlockBootstrapTests
{
    // An utterance of `words` reference words "one", of which the first `errors` are substituted by "two".
    private static ScoredUtterance Utterance(string id, string speaker, int words, int errors, string set = "test")
    {
        string[] reference = [.. Enumerable.Repeat("one", words)];
        string[] hypothesis = [.. Enumerable.Repeat("two", errors), .. Enumerable.Repeat("one", words - errors)];
        return new ScoredUtterance(id, set, speaker, ScoredUtterance.AccentOfSpeaker(speaker), reference, hypothesis);
    }

    [Fact]
    public void Wer_KnownCounts_PointEstimateAndIntervalAroundIt()
    {
        ScoredUtterance[] results = [Utterance("a", "en-us+m1", 4, 1), Utterance("b", "en-us+m2", 4, 0), Utterance("c", "en-gb+m3", 2, 1)];

        WerEstimate wer = BlockBootstrap.Wer(results);

        Assert.Equal(2.0 / 10, wer.WordErrorRate, 12);
        Assert.Equal((2, 10, 3, 3), (wer.Errors, wer.Words, wer.Utterances, wer.Speakers));
        Assert.InRange(wer.WordErrorRate, wer.Lower, wer.Upper);
        Assert.True(wer.Lower < wer.Upper);
    }

    [Fact]
    public void Wer_EveryVoiceSameRate_IntervalCollapses()
    {
        ScoredUtterance[] results = [.. Enumerable.Range(0, 10).Select(v => Utterance($"u{v}", $"x+v{v}", 10, 1))];

        WerEstimate wer = BlockBootstrap.Wer(results);

        Assert.Equal(0.1, wer.Lower, 12);
        Assert.Equal(0.1, wer.Upper, 12);
    }

    [Fact]
    public void Wer_ErrorsConcentratedInOneVoice_WiderThanSpreadEvenly()
    {
        // Same totals (20 errors in 400 words over 20 voices); only how the errors cluster by voice differs.
        ScoredUtterance[] even = [.. Enumerable.Range(0, 20).Select(v => Utterance($"u{v}", $"x+v{v}", 20, 1))];
        ScoredUtterance[] clustered = [.. Enumerable.Range(0, 20).Select(v => Utterance($"u{v}", $"x+v{v}", 20, v == 0 ? 20 : 0))];

        WerEstimate a = BlockBootstrap.Wer(even);
        WerEstimate b = BlockBootstrap.Wer(clustered);

        Assert.Equal(a.WordErrorRate, b.WordErrorRate, 12);
        Assert.True(b.Upper - b.Lower > 5 * (a.Upper - a.Lower) + 0.05, $"clustered [{b.Lower}, {b.Upper}] vs even [{a.Lower}, {a.Upper}]");
    }

    [Fact]
    public void Wer_UtterancesOfOneVoice_ResampledTogether()
    {
        // One voice with all errors split over many utterances: block resampling sees 2 blocks, not 21 units.
        var results = new List<ScoredUtterance> { Utterance("good", "x+good", 100, 0) };
        results.AddRange(Enumerable.Range(0, 20).Select(i => Utterance($"bad{i}", "x+bad", 5, 1)));

        WerEstimate wer = BlockBootstrap.Wer(results);

        Assert.Equal(2, wer.Speakers);
        Assert.Equal(0.0, wer.Lower, 12); // both draws "good" happen in about a quarter of the replicates
        Assert.Equal(0.2, wer.Upper, 12); // both draws "bad"
    }

    [Fact]
    public void Wer_SimulatedVoiceEffects_IntervalCoversTheTrueRateAboutNinetyFivePercent()
    {
        // 60 voices per corpus, each with its own error probability around a true mean of 5 %; 300 corpora.
        var random = new Random(7);
        const double trueRate = 0.05;
        int covered = 0, corpora = 300;
        for (int k = 0; k < corpora; k++)
        {
            var results = new List<ScoredUtterance>();
            for (int v = 0; v < 60; v++)
            {
                double voiceRate = trueRate * 2 * random.NextDouble(); // mean 5 %, strong voice spread
                for (int u = 0; u < 5; u++)
                {
                    int errors = Enumerable.Range(0, 10).Count(_ => random.NextDouble() < voiceRate);
                    results.Add(Utterance($"{v}-{u}", $"x+v{v}", 10, errors));
                }
            }

            WerEstimate wer = BlockBootstrap.Wer(results, options: new BootstrapOptions { Replicates = 500, Seed = k });
            covered += wer.Lower <= trueRate && trueRate <= wer.Upper ? 1 : 0;
        }

        Assert.InRange((double)covered / corpora, 0.89, 0.99);
    }

    [Fact]
    public void Wer_SameSeed_SameInterval_DifferentSeed_Differs()
    {
        ScoredUtterance[] results = [.. Enumerable.Range(0, 30).Select(v => Utterance($"u{v}", $"x+v{v}", 10, v % 4))];

        WerEstimate first = BlockBootstrap.Wer(results);
        WerEstimate again = BlockBootstrap.Wer(results);
        WerEstimate other = BlockBootstrap.Wer(results, options: new BootstrapOptions { Seed = 5 });

        Assert.Equal(first, again);
        Assert.NotEqual((first.Lower, first.Upper), (other.Lower, other.Upper));
    }

    [Fact]
    public void Paired_SameHypotheses_ZeroDifferenceAndInterval()
    {
        ScoredUtterance[] results = [.. Enumerable.Range(0, 12).Select(v => Utterance($"u{v}", $"x+v{v}", 10, v % 3))];

        PairedDifference d = BlockBootstrap.Paired(results, results);

        Assert.Equal((0.0, 0.0, 0.0), (d.Difference, d.Lower, d.Upper));
        Assert.False(d.ExcludesZero);
    }

    [Fact]
    public void Paired_ConsistentlyOneMoreErrorPerVoice_SignificantWhileUnpairedIntervalsOverlap()
    {
        // Voices differ a lot (0–8 errors in 10 words); model A makes exactly one more error on every voice.
        ScoredUtterance[] b = [.. Enumerable.Range(0, 40).Select(v => Utterance($"u{v}", $"x+v{v}", 10, v % 9))];
        ScoredUtterance[] a = [.. Enumerable.Range(0, 40).Select(v => Utterance($"u{v}", $"x+v{v}", 10, (v % 9) + 1))];

        PairedDifference d = BlockBootstrap.Paired(a, b);
        WerEstimate werA = BlockBootstrap.Wer(a), werB = BlockBootstrap.Wer(b);

        Assert.Equal(0.1, d.Difference, 12);
        Assert.Equal(0.1, d.Lower, 12);
        Assert.Equal(0.1, d.Upper, 12);
        Assert.True(d.ExcludesZero);
        Assert.True(werA.Lower < werB.Upper, "unpaired intervals overlap although every voice got worse");
    }

    [Fact]
    public void Paired_DifferentUtterances_Throws()
    {
        ScoredUtterance[] a = [Utterance("u1", "x+a", 3, 0), Utterance("u2", "x+b", 3, 0)];
        ScoredUtterance[] b = [Utterance("u1", "x+a", 3, 0), Utterance("u3", "x+b", 3, 0)];

        var error = Assert.Throws<ArgumentException>(() => BlockBootstrap.Paired(a, b));
        Assert.Contains("'u2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PairedMean_TwoSeeds_MeanOfTheTwoDifferencesAndSinglePairEqualsPaired()
    {
        // Seed 1: A makes one more error per voice than B; seed 2: three more. The mean difference is two errors in
        // ten words on every voice, so every replicate (and the interval) is exactly 0.2.
        ScoredUtterance[] b = [.. Enumerable.Range(0, 20).Select(v => Utterance($"u{v}", $"x+v{v}", 10, v % 5))];
        ScoredUtterance[] a1 = [.. Enumerable.Range(0, 20).Select(v => Utterance($"u{v}", $"x+v{v}", 10, (v % 5) + 1))];
        ScoredUtterance[] a2 = [.. Enumerable.Range(0, 20).Select(v => Utterance($"u{v}", $"x+v{v}", 10, (v % 5) + 3))];

        PairedDifference mean = BlockBootstrap.PairedMean([(a1, b), (a2, b)]);

        Assert.Equal(0.2, mean.Difference, 12);
        Assert.Equal((0.2, 0.2), (mean.Lower, mean.Upper));
        Assert.Equal(200, mean.Words);
        Assert.Equal(BlockBootstrap.Paired(a1, b), BlockBootstrap.PairedMean([(a1, b)]));
    }

    [Fact]
    public void PairedMean_PairsOverDifferentUtterances_Throws()
    {
        ScoredUtterance[] a = [Utterance("u1", "x+a", 3, 0), Utterance("u2", "x+b", 3, 1)];
        ScoredUtterance[] c = [Utterance("u1", "x+a", 3, 0), Utterance("u3", "x+b", 3, 1)];

        var error = Assert.Throws<ArgumentException>(() => BlockBootstrap.PairedMean([(a, a), (c, c)]));
        Assert.Equal("pairs", error.ParamName);
        Assert.Throws<ArgumentException>(() => BlockBootstrap.PairedMean([]));
    }

    [Fact]
    public void ByGroup_AccentAndSet_SeparateEstimatesInOrdinalOrder()
    {
        ScoredUtterance[] results =
        [
            Utterance("a", "en-us+m1", 10, 1), Utterance("b", "en-us+m2", 10, 3),
            Utterance("c", "en-gb+m3", 10, 0, "test-accent"),
        ];

        IReadOnlyList<WerEstimate> accents = BlockBootstrap.ByGroup(results, u => u.Accent);
        IReadOnlyList<WerEstimate> sets = BlockBootstrap.ByGroup(results, u => u.Set);

        Assert.Equal(["en-gb", "en-us"], accents.Select(a => a.Name));
        Assert.Equal([0.0, 0.2], accents.Select(a => a.WordErrorRate));
        Assert.Equal(["test", "test-accent"], sets.Select(s => s.Name));
    }

    [Fact]
    public void Options_OutOfRange_ThrowNamingTheParameter()
    {
        ScoredUtterance[] results = [Utterance("a", "x+m1", 2, 0)];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BlockBootstrap.Wer(results, options: new BootstrapOptions { Replicates = 5 }));
        Assert.Equal("Replicates", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockBootstrap.Wer(results, options: new BootstrapOptions { ConfidenceLevel = 1.0 }));
    }
}
