using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompactRnn.Cli.Experiments;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Cli.Reporting;

/// <summary>
/// The paper's bar over seeds: the preset's multi-seed hybrid (<c>hybrid-svd-P</c>, compressed from the dense model of
/// each seed) against the dense family that is better on dev (<c>dense</c> or the equal-training <c>dense-long</c>, by
/// mean dev WER over the seeds both have), seed by seed: gap = mean over seeds s of WER(hybrid_s) − WER(dense_s), with
/// the paired speaker-block interval of that mean (one draw of test voices shared by every seed). The interval covers
/// the test voices given these seeds; the spread between seeds is reported beside it.
/// </summary>
/// <param name="Limit">The budget share of the hybrid family.</param>
/// <param name="HybridFamily">Row name of the hybrid's seed 1 (other seeds add <c>-sN</c>).</param>
/// <param name="DenseFamily">Row name of the chosen dense family's seed 1.</param>
/// <param name="Seeds">The seeds in the mean.</param>
/// <param name="Gaps">The per-seed gaps, points, in seed order.</param>
/// <param name="Gap">Their mean.</param>
/// <param name="GapCi">The paired interval of the mean.</param>
internal sealed record SeedMeanVerdict(double Limit, string HybridFamily, string DenseFamily, IReadOnlyList<int> Seeds, IReadOnlyList<double> Gaps, double Gap, Interval GapCi)
{
    /// <summary>
    /// The verdict at the preset's primary budget, or null when fewer than two seeds have both the hybrid and a dense
    /// family's row.
    /// </summary>
    public static SeedMeanVerdict? Evaluate(IReadOnlyList<ResultRow> rows, double primaryBudget, int seeds,
        System.Func<string, IReadOnlyList<ScoredUtterance>> testScores, IWerIntervals intervals)
    {
        var byName = rows.ToDictionary(r => r.Name, System.StringComparer.Ordinal);
        string hybrid = $"hybrid-svd-{SweepPlan.Percent(primaryBudget)}";
        (string Family, List<int> Seeds, double DevWer)? Candidate(string family)
        {
            var common = Enumerable.Range(1, seeds).Where(s => byName.ContainsKey(SweepPlan.Seeded(hybrid, s)) && byName.ContainsKey(SweepPlan.Seeded(family, s))).ToList();
            return common.Count < 2 ? null : (family, common, common.Average(s => byName[SweepPlan.Seeded(family, s)].DevWer));
        }

        // Chosen on dev: the dense family with the lower mean dev WER; when both qualify over different seeds, the one with more seeds.
        var chosen = new[] { Candidate("dense"), Candidate("dense-long") }.Where(c => c is not null).Select(c => c!.Value)
            .OrderByDescending(c => c.Seeds.Count).ThenBy(c => c.DevWer).ThenBy(c => c.Family, System.StringComparer.Ordinal).FirstOrDefault();
        if (chosen.Family is null)
        {
            return null;
        }

        var gaps = chosen.Seeds.Select(s => byName[SweepPlan.Seeded(hybrid, s)].Wer - byName[SweepPlan.Seeded(chosen.Family, s)].Wer).ToList();
        var pairs = chosen.Seeds.Select(s => (testScores(SweepPlan.Seeded(hybrid, s)), testScores(SweepPlan.Seeded(chosen.Family, s)))).ToList();
        return new SeedMeanVerdict(primaryBudget, hybrid, chosen.Family, chosen.Seeds, gaps, gaps.Average(), intervals.MeanDifference(pairs));
    }

    /// <summary>One sentence for summary.md, judged by the same rule as <see cref="BarVerdict"/>.</summary>
    public string Sentence()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        string interval = GapCi.IsKnown ? string.Create(c, $", 95 % paired interval of the mean [{SignedPoints.Format(GapCi.Low)}, {SignedPoints.Format(GapCi.High)}]") : ", no interval available";
        return string.Create(c,
            $"Paper's bar at ≤ {Limit:P0} over {Seeds.Count} seeds: {HybridFamily} (seeds {string.Join(", ", Seeds)}) against {DenseFamily} of the same seed (the dense family better on mean dev WER): per-seed gaps {string.Join(", ", Gaps.Select(g => SignedPoints.Format(g)))}, mean {SignedPoints.Format(Gap)}{interval}. It {BarVerdict.Judgement(Gap, GapCi)}.");
    }
}
