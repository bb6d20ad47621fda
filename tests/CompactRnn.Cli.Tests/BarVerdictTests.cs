using System;
using System.Collections.Generic;
using CompactRnn.Cli.Experiments;
using CompactRnn.Cli.Reporting;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Cli.Tests;

/// <summary>The bar's verdict: which rows it compares (by their typed kind) and the sentence summary.md prints.</summary>
public sealed class BarVerdictTests
{
    [Fact]
    public void Evaluate_ComparesTheBestHybridOnDev_AgainstTheBetterDenseOnDev()
    {
        ResultRow[] rows =
        [
            Row("dense", PlanKind.Dense, ratio: 1, devWer: 6.0, wer: 5.0),
            Row("dense-long", PlanKind.DenseLong, ratio: 1, devWer: 5.5, wer: 4.8),
            Row("hybrid-25", PlanKind.Scratch(LayoutKind.Hybrid), ratio: 0.24, devWer: 7.0, wer: 6.0),
            Row("hybrid-svd-25", PlanKind.Compressed(LayoutKind.Hybrid), ratio: 0.24, devWer: 6.5, wer: 5.0),
            Row("toeplitz-25", PlanKind.Scratch(LayoutKind.ToeplitzLike), ratio: 0.24, devWer: 5.0, wer: 4.0),
        ];

        BarVerdict verdict = Assert.Single(BarVerdict.Evaluate(rows, [0.25], _ => [], new FixedIntervals(new Interval(-0.1, 0.5))));
        Assert.Equal("hybrid-svd-25", verdict.Hybrid!.Name); // the toeplitz row is better on dev but is no hybrid
        Assert.Equal("dense-long", verdict.Dense!.Name);
        Assert.Equal(0.2, verdict.Gap, 10);
        Assert.EndsWith("It meets the +0.3 bar on the point estimate, but the interval reaches above it.", verdict.Sentence(), StringComparison.Ordinal);
        Assert.EndsWith("It misses the +0.3 bar: the whole interval is above it.",
            (verdict with { Gap = 0.8, GapCi = new Interval(0.4, 1.2) }).Sentence(), StringComparison.Ordinal);
        Assert.EndsWith("It meets the +0.3 bar.", (verdict with { GapCi = new Interval(-0.1, 0.25) }).Sentence(), StringComparison.Ordinal);
    }

    private static ResultRow Row(string name, PlanKind kind, double ratio, double devWer, double wer) => new(
        name, kind, "dense:h=8,p=0 x1", 1, (long)(1000 * ratio), ratio, (long)(4000 * ratio), wer, Interval.Unknown, "dense", double.NaN, Interval.Unknown,
        devWer, double.NaN, double.NaN, 80.0, 7, 6, 1234, 12.5, double.NaN, 3, 2, 1, 10.0);

    private sealed class FixedIntervals(Interval difference) : IWerIntervals
    {
        public string Description => "fixed";

        public Interval Wer(IReadOnlyList<ScoredUtterance> scores) => Interval.Unknown;

        public Interval Difference(IReadOnlyList<ScoredUtterance> model, IReadOnlyList<ScoredUtterance> reference) => difference;
    }
}
