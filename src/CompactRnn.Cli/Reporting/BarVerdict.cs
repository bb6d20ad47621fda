using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompactRnn.Cli.Experiments;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Cli.Reporting;

/// <summary>
/// The paper's bar at one budget: the hybrid chosen on dev among the hybrid rows within the budget, against the
/// better dense model (seed-1 dense or the seed-1 equal-training dense-long, chosen on dev), with the paired interval.
/// <see cref="SeedMeanVerdict"/> is the same bar over seeds.
/// </summary>
/// <param name="Limit">The budget share (e.g. 0.25).</param>
/// <param name="Hybrid">The hybrid row, or null if none finished.</param>
/// <param name="Dense">The dense row compared against, or null.</param>
/// <param name="Gap">Hybrid test WER − dense test WER, points.</param>
/// <param name="GapCi">Paired-bootstrap interval of the gap.</param>
internal sealed record BarVerdict(double Limit, ResultRow? Hybrid, ResultRow? Dense, double Gap, Interval GapCi)
{
    /// <summary>The paper's tolerance in WER points.</summary>
    public const double Tolerance = 0.3;

    /// <summary>Builds the verdict at every budget limit; scores are read through <paramref name="testScores"/>.</summary>
    public static IReadOnlyList<BarVerdict> Evaluate(IReadOnlyList<ResultRow> rows, IEnumerable<double> limits,
        System.Func<string, IReadOnlyList<ScoredUtterance>> testScores, IWerIntervals intervals)
    {
        ResultRow? dense = rows.Where(r => r.Seed == 1 && (r.Kind == PlanKind.DenseLong || r.Name == "dense")).OrderBy(r => r.DevWer).ThenBy(r => r.Name, System.StringComparer.Ordinal).FirstOrDefault();
        var verdicts = new List<BarVerdict>();
        foreach (double limit in limits)
        {
            // Seed-1 rows only: the other seeds repeat the chosen row and are reported in the seed table.
            ResultRow? hybrid = rows.Where(r => r.Kind.Layout == LayoutKind.Hybrid && r.Seed == 1 && r.ParamsRatio <= limit)
                .OrderBy(r => r.DevWer).ThenBy(r => r.Name, System.StringComparer.Ordinal).FirstOrDefault();
            if (hybrid is null || dense is null)
            {
                verdicts.Add(new BarVerdict(limit, hybrid, dense, double.NaN, Interval.Unknown));
                continue;
            }

            verdicts.Add(new BarVerdict(limit, hybrid, dense, hybrid.Wer - dense.Wer, intervals.Difference(testScores(hybrid.Name), testScores(dense.Name))));
        }

        return verdicts;
    }

    /// <summary>One sentence: met, refuted (the whole interval above the tolerance), or not settled by this run.</summary>
    public string Sentence()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        if (Hybrid is null || Dense is null)
        {
            return string.Create(c, $"Paper's bar at ≤ {Limit:P0}: not evaluated (the hybrid or the dense rows have not finished).");
        }

        string interval = GapCi.IsKnown ? string.Create(c, $", 95 % paired interval [{SignedPoints.Format(GapCi.Low)}, {SignedPoints.Format(GapCi.High)}]") : ", no interval available";
        return string.Create(c,
            $"Paper's bar at ≤ {Limit:P0}: {Hybrid.Name} ({Hybrid.Kind}, {100 * Hybrid.ParamsRatio:F1} % of the parameters, chosen on dev WER among the hybrid rows) scores {Hybrid.Wer:F2} % test WER against {Dense.Name} {Dense.Wer:F2} % (the better dense model on dev): gap {SignedPoints.Format(Gap)}{interval}. It {Judgement(Gap, GapCi)}.");
    }

    /// <summary>Met, met only on the point estimate, missed, or refuted (the whole interval above the tolerance).</summary>
    public static string Judgement(double gap, Interval gapCi)
    {
        string bar = string.Create(CultureInfo.InvariantCulture, $"the {Tolerance:+0.0##} bar");
        return (gap <= Tolerance, gapCi.IsKnown) switch
        {
            (true, false) => $"meets {bar} on the point estimate (no interval was computed)",
            (true, true) when gapCi.High > Tolerance => $"meets {bar} on the point estimate, but the interval reaches above it",
            (true, true) => $"meets {bar}",
            (false, false) => $"misses {bar} on the point estimate (no interval was computed)",
            (false, true) when gapCi.Low > Tolerance => $"misses {bar}: the whole interval is above it",
            _ => $"misses {bar} on the point estimate; the interval does not exclude meeting it",
        };
    }
}
