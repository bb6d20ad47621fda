using System;
using System.Collections.Generic;
using System.Linq;
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

    [Fact]
    public void SeedMean_ComparesEachSeedWithTheDenseFamilyBetterOnMeanDev()
    {
        ResultRow[] rows =
        [
            Row("dense", PlanKind.Dense, 1, devWer: 6.0, wer: 5.0),
            Row("dense-s2", PlanKind.Dense, 1, devWer: 6.2, wer: 5.4, seed: 2),
            Row("dense-long", PlanKind.DenseLong, 1, devWer: 5.5, wer: 4.8),
            Row("dense-long-s2", PlanKind.DenseLong, 1, devWer: 5.9, wer: 5.6, seed: 2),
            Row("hybrid-svd-25", PlanKind.Compressed(LayoutKind.Hybrid), 0.24, devWer: 6.5, wer: 5.0),
            Row("hybrid-svd-25-s2", PlanKind.Compressed(LayoutKind.Hybrid), 0.24, devWer: 6.4, wer: 5.2, seed: 2),
            Row("hybrid-svd-25-s3", PlanKind.Compressed(LayoutKind.Hybrid), 0.24, devWer: 6.4, wer: 5.9, seed: 3), // no dense row of seed 3
        ];

        SeedMeanVerdict verdict = SeedMeanVerdict.Evaluate(rows, 0.25, seeds: 3, _ => [], new FixedIntervals(new Interval(-0.5, 0.2)))!;

        Assert.Equal("dense-long", verdict.DenseFamily); // mean dev 5.7 against 6.1
        Assert.Equal([1, 2], verdict.Seeds);
        Assert.Equal(0.2, verdict.Gaps[0], 10);
        Assert.Equal(-0.4, verdict.Gaps[1], 10);
        Assert.Equal(-0.1, verdict.Gap, 10);
        Assert.EndsWith("mean -0.10, 95 % paired interval of the mean [-0.50, +0.20]. It meets the +0.3 bar.", verdict.Sentence(), StringComparison.Ordinal);
        Assert.Null(SeedMeanVerdict.Evaluate(rows.Where(r => r.Seed == 1).ToArray(), 0.25, seeds: 3, _ => [], new FixedIntervals(Interval.Unknown))); // one seed: no mean

        // The seed-1 bar ignores the other seeds' controls.
        BarVerdict single = Assert.Single(BarVerdict.Evaluate(rows, [0.25], _ => [], new FixedIntervals(Interval.Unknown)));
        Assert.Equal("dense-long", single.Dense!.Name);
    }

    private static ResultRow Row(string name, PlanKind kind, double ratio, double devWer, double wer, int seed = 1) => new(
        name, kind, "dense:h=8,p=0 x1", seed, (long)(1000 * ratio), ratio, (long)(4000 * ratio), wer, Interval.Unknown, "dense", double.NaN, Interval.Unknown,
        devWer, double.NaN, double.NaN, 80.0, 7, 6, 1234, 12.5, double.NaN, 3, 2, 1, 10.0);

    private sealed class FixedIntervals(Interval difference) : IWerIntervals
    {
        public string Description => "fixed";

        public Interval Wer(IReadOnlyList<ScoredUtterance> scores) => Interval.Unknown;

        public Interval Difference(IReadOnlyList<ScoredUtterance> model, IReadOnlyList<ScoredUtterance> reference) => difference;

        public Interval MeanDifference(IReadOnlyList<(IReadOnlyList<ScoredUtterance> Model, IReadOnlyList<ScoredUtterance> Reference)> pairs)
            => pairs.Count >= 2 ? difference : Interval.Unknown;
    }
}
