using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CompactRnn.Cli.Experiments;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Cli.Reporting;

/// <summary>
/// summary.md: how the run was made, the table with intervals, the paper's bar, the seed and per-accent tables, the
/// dev search of the hybrid layout, a reading computed from the rows, and the hand-written notes.md of the folder
/// (kept there so that rewriting the summary never loses them).
/// </summary>
internal static class SummaryWriter
{
    /// <summary>Everything the summary is written from.</summary>
    internal sealed record Inputs(
        ExperimentPreset Preset, string Command, string Commit, string DataDescription, IReadOnlyList<string> SetSizes, long DenseParameters,
        IReadOnlyList<ResultRow> Rows, IReadOnlyList<BarVerdict> Verdicts, SeedMeanVerdict? SeedMean, IReadOnlyDictionary<double, IReadOnlyList<LayoutSearch.Result>> Searches,
        Func<string, IReadOnlyList<ScoredUtterance>> Scores, string IntervalMethod, TimeSpan? Elapsed, string? Notes, PlateauRecipe Recipe, IReadOnlyList<RateFile.Entry> Rates);

    public static string Write(Inputs input)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        ExperimentPreset preset = input.Preset;
        PlateauRecipe recipe = input.Recipe;
        var text = new StringBuilder();
        text.AppendLine(c, $"# CompactRnn experiment `{preset.Name}`");
        text.AppendLine();
        text.AppendLine(c, $"- Command: `{input.Command}`");
        text.AppendLine(c, $"- Commit: `{input.Commit}`; seeds 1–{preset.Seeds} (dense and the compressed hybrid at {preset.Budgets[0]:P0}{(preset.DenseLongSeeds > 1 ? ", dense-long" : string.Empty)}; every other row seed 1); {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        text.AppendLine(c, $"- Data: {input.DataDescription}");
        foreach (string size in input.SetSizes)
        {
            text.AppendLine(c, $"  - {size}");
        }

        text.AppendLine(c, $"- Model: {preset.Layers}-layer LSTMP, {preset.HiddenSize} cells, projection {preset.ProjectionSize}, peepholes, 40 log-mel inputs; dense baseline {input.DenseParameters:N0} parameters.");
        text.AppendLine(c, $"- Recipe (every row): Adam, batch {recipe.BatchSize}, linear warm-up to the peak rate, then train until dev loss stops improving: an epoch that does not lower the best dev loss halves the rate, {recipe.Patience} such epoch(s) stop training, at most {recipe.MaxEpochs} epochs, the best dev epoch is kept{(recipe.EpochUtterances > 0 ? string.Create(c, $"; an epoch is {recipe.EpochUtterances:N0} training utterances, one part of a fresh permutation of the training set, so the dev loss is checked several times per pass") : string.Empty)}{(recipe.LengthSortPool > 0 ? string.Create(c, $"; minibatches of similar length: each epoch's permutation is cut into pools of {recipe.LengthSortPool} minibatches, each sorted by length, and the minibatches are shuffled (less padding, the same updates per epoch)") : string.Empty)}. Peak rate {recipe.LearningRate} from scratch; {recipe.FineTuneRateScale}× that (chosen on dev from {string.Join(", ", PlateauRecipe.FineTuneRateScales.Select(x => x.ToString(c)))}, table below) for fine-tuning a compressed model and for `dense-long`.");
        string primaryHybrid = $"hybrid-svd-{SweepPlan.Percent(preset.Budgets[0])}";
        text.AppendLine(preset.DenseLongSeeds > 1
            ? $"- Equal training: `dense-long` (and `dense-long-sN`) is the dense model of its seed trained on for exactly as many epochs as `{primaryHybrid}` of that seed was fine-tuned (same rule, same rate), so both have seen the same updates."
            : $"- Equal training: `dense-long` is the seed-1 dense model trained on for exactly as many epochs as `{primaryHybrid}` was fine-tuned (same rule, same rate), so both have seen the same updates.");
        text.AppendLine(c, $"- Hybrid layout: chosen on dev (never on test) from the displacement ranks {string.Join(", ", BudgetPlanner.HybridDisplacementRanks)} (those with room in the budget) × every bottom/top split, the shared rank filling the budget; each candidate compressed from the seed-1 dense model (Toeplitz-like layers by the fit in the table's `fit` column; this version searches with the activation fit on {preset.FitUtterances} evenly spaced training utterances, {preset.SearchFitIterations} L-BFGS iterations per layer, docs/math.md §14.2; the compressed rows refit the chosen layout with {preset.FitIterations}), fitted for one epoch on {preset.SearchUtterances} training utterances, ranked by dev loss (table below).");
        text.AppendLine("- Scoring: digit-loop Viterbi decoder, acoustic scale and word-insertion penalty tuned on dev per model; WER on the test split (voices and one accent unseen in training), WER and frame accuracy in %.");
        text.AppendLine(c, $"- Intervals: {input.IntervalMethod}. `gap` = test WER − the same seed's dense test WER, in points, with the paired interval.");
        text.AppendLine("- Timing: `train s` (one model per worker, the workers side by side) and `step µs` (one model at a time, after training) depend on the machine and on what else ran; notes.md says which machine and how loaded it was for each part of the table.");
        if (input.Elapsed is { } wall)
        {
            text.AppendLine(c, $"- Wall clock of the run that wrote this file: {wall.TotalMinutes:F1} min ({input.Rows.Count} models in the folder; models finished by an earlier run are not retrained).");
        }
        else
        {
            text.AppendLine("- Wall clock: this file was rewritten by `--report-only`, which trains and times nothing; notes.md gives the wall clock of the runs that trained the rows.");
        }

        text.AppendLine();
        text.AppendLine("| name | kind | params | % of dense | test WER [95 % CI] | gap [95 % CI] | dev WER | unseen accent | cross-synth | frame acc | epochs (best) | updates | train s | step µs |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (ResultRow r in Ordered(input.Rows))
        {
            text.AppendLine(c, $"| {r.Name} | {r.Kind} | {r.Params:N0} | {100 * r.ParamsRatio:F1} | {r.Wer:F2} {Ci(r.WerCi)} | {Signed(r.Gap)} {Ci(r.GapCi, true)} | {r.DevWer:F2} | {Value(r.UnseenAccentWer)} | {Value(r.CrossSynthWer)} | {r.FrameAccuracy:F1} | {r.Epochs} ({r.BestEpoch}) | {r.Updates:N0} | {r.TrainSeconds:F0} | {r.StepMicroseconds:F0} |");
        }

        text.AppendLine();
        text.AppendLine("## The paper's bar");
        text.AppendLine();
        if (input.SeedMean is { } seedMean)
        {
            text.AppendLine(c, $"- {seedMean.Sentence()}");
        }

        foreach (BarVerdict verdict in input.Verdicts)
        {
            text.AppendLine(c, $"- {verdict.Sentence()}{(input.SeedMean is null ? string.Empty : " (Seed 1 only.)")}");
        }

        AppendSeeds(text, input);
        AppendAccents(text, input);
        AppendSearch(text, input);
        text.AppendLine();
        text.AppendLine("## Reading");
        text.AppendLine();
        foreach (string line in Reading(input.Rows))
        {
            text.AppendLine(c, $"- {line}");
        }

        text.AppendLine();
        text.AppendLine("![WER vs parameters](wer_vs_params.png)");
        text.AppendLine();
        text.AppendLine("![Training curves](training_curves.png)");
        if (!string.IsNullOrWhiteSpace(input.Notes))
        {
            text.AppendLine();
            text.AppendLine(input.Notes.TrimEnd());
        }

        return text.ToString();
    }

    /// <summary>Dense rows first, then by share of the parameters (largest first), then by name.</summary>
    public static IEnumerable<ResultRow> Ordered(IEnumerable<ResultRow> rows)
        => rows.OrderBy(r => r.IsDense ? 0 : 1).ThenByDescending(r => r.ParamsRatio).ThenBy(r => r.Name, StringComparer.Ordinal);

    private static void AppendSeeds(StringBuilder text, Inputs input)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        string hybrid = $"hybrid-svd-{SweepPlan.Percent(input.Preset.Budgets[0])}";
        ResultRow? Find(string name) => input.Rows.FirstOrDefault(r => r.Name == name);
        var seeds = Enumerable.Range(1, input.Preset.Seeds)
            .Select(s => (Seed: s, Dense: Find(SweepPlan.Seeded("dense", s)), Long: Find(SweepPlan.Seeded("dense-long", s)), Hybrid: Find(SweepPlan.Seeded(hybrid, s))))
            .Where(s => s.Dense is not null || s.Hybrid is not null).ToList();
        if (seeds.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("## Seeds");
        text.AppendLine();
        text.AppendLine(c, $"| seed | dense test WER | dense dev WER | dense-long test WER | dense-long dev WER | {hybrid} test WER | {hybrid} dev WER | gap to dense [95 % CI] | gap to dense-long |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in seeds)
        {
            double gapToLong = s.Hybrid is not null && s.Long is not null ? s.Hybrid.Wer - s.Long.Wer : double.NaN;
            text.AppendLine(c, $"| {s.Seed} | {Value(s.Dense?.Wer)} | {Value(s.Dense?.DevWer)} | {Value(s.Long?.Wer)} | {Value(s.Long?.DevWer)} | {Value(s.Hybrid?.Wer)} | {Value(s.Hybrid?.DevWer)} | {Signed(s.Hybrid?.Gap ?? double.NaN)} {Ci(s.Hybrid?.GapCi ?? Interval.Unknown, true)} | {Signed(gapToLong)} |");
        }

        text.AppendLine();
        text.AppendLine(c, $"- dense test WER: {Spread(seeds.Where(s => s.Dense is not null).Select(s => s.Dense!.Wer).ToList())}");
        text.AppendLine(c, $"- dense-long test WER: {Spread(seeds.Where(s => s.Long is not null).Select(s => s.Long!.Wer).ToList())}");
        text.AppendLine(c, $"- {hybrid} test WER: {Spread(seeds.Where(s => s.Hybrid is not null).Select(s => s.Hybrid!.Wer).ToList())}");
        text.AppendLine(c, $"- gap: {Spread(seeds.Where(s => s.Hybrid is not null && !double.IsNaN(s.Hybrid.Gap)).Select(s => s.Hybrid!.Gap).ToList())}");
    }

    // WER per accent for the rows the bar is about, on every scored set.
    private static void AppendAccents(StringBuilder text, Inputs input)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var shown = input.Verdicts.SelectMany(v => new[] { v.Dense, v.Hybrid }).Where(r => r is not null).Select(r => r!)
            .Concat(input.Rows.Where(r => r.Name == "dense"))
            .DistinctBy(r => r.Name).OrderBy(r => r.IsDense ? 0 : 1).ThenByDescending(r => r.ParamsRatio).ToList();
        if (shown.Count == 0)
        {
            return;
        }

        var scores = shown.ToDictionary(r => r.Name, r => input.Scores(r.Name));
        var groups = scores[shown[0].Name].Where(s => s.Set != "dev").Select(s => (s.Set, s.Accent)).Distinct().OrderBy(g => g.Set, StringComparer.Ordinal).ThenBy(g => g.Accent, StringComparer.Ordinal).ToList();
        text.AppendLine();
        text.AppendLine("## WER per accent");
        text.AppendLine();
        text.AppendLine("| set | accent | voices | words | " + string.Join(" | ", shown.Select(r => r.Name)) + " |");
        text.AppendLine("|---|---|---:|---:|" + string.Concat(shown.Select(_ => "---:|")));
        foreach (var (set, accent) in groups)
        {
            var reference = scores[shown[0].Name].Where(s => s.Set == set && s.Accent == accent).ToList();
            var cells = shown.Select(r =>
            {
                var mine = scores[r.Name].Where(s => s.Set == set && s.Accent == accent).ToList();
                int words = mine.Sum(s => s.Errors.ReferenceLength);
                return words == 0 ? "—" : (100.0 * mine.Sum(s => s.Errors.Errors) / words).ToString("F2", c);
            });
            text.AppendLine(c, $"| {set} | {accent} | {reference.Select(s => s.Speaker).Distinct().Count()} | {reference.Sum(s => s.Errors.ReferenceLength):N0} | {string.Join(" | ", cells)} |");
        }
    }

    private static void AppendSearch(StringBuilder text, Inputs input)
    {
        if (input.Searches.Count == 0)
        {
            return;
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine("## Hybrid layout chosen on dev");
        text.AppendLine();
        text.AppendLine("Each candidate was compressed from the seed-1 dense model and fitted briefly; the lowest dev loss after the fit wins (first line of each budget).");
        text.AppendLine();
        text.AppendLine("| budget | candidate | fit | params | dev loss after compression | dev loss after the short fit | spec |");
        text.AppendLine("|---:|---|---|---:|---:|---:|---|");
        foreach (var (budget, results) in input.Searches.OrderByDescending(p => p.Key))
        {
            foreach (var r in results)
            {
                string fit = r.Fit is { } method ? LayoutFit.Format(method) : "—";
                text.AppendLine(c, $"| {budget:P0} | {r.Candidate.Label} | {fit} | {r.Params:N0} | {r.DevLossBefore:F3} | {r.DevLossAfter:F3} | `{r.Candidate.Spec}` |");
            }
        }

        if (input.Rates.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(c, $"The fine-tuning rate, chosen the same way with the {SweepPlan.Percent(input.Preset.Budgets[0])} % hybrid (lowest dev loss wins):");
            text.AppendLine();
            text.AppendLine("| rate scale | peak rate | dev loss after compression | dev loss after the short fit |");
            text.AppendLine("|---:|---:|---:|---:|");
            foreach (var r in input.Rates)
            {
                text.AppendLine(c, $"| {r.Scale}× | {r.Scale * input.Recipe.LearningRate:G3} | {r.DevLossBefore:F3} | {r.DevLossAfter:F3} |");
            }
        }
    }

    /// <summary>The smallest multiple of 5 % at or above <paramref name="ratio"/> (a tiny tolerance absorbs rounding).</summary>
    public static double BudgetBand(double ratio) => Math.Ceiling((ratio * 20) - 1e-9) / 20;

    /// <summary>Statements computed from the rows: equal training, the best row per budget, speed.</summary>
    public static IEnumerable<string> Reading(IReadOnlyList<ResultRow> rows)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        ResultRow? dense = rows.FirstOrDefault(r => r.Name == "dense");
        if (dense is null)
        {
            yield return "The dense baseline has not finished; nothing to compare yet.";
            yield break;
        }

        yield return string.Create(c, $"Dense (seed 1): {dense.Wer:F2} % test WER, {dense.DevWer:F2} % dev WER after {dense.Epochs} epochs (best {dense.BestEpoch}), {dense.StepMicroseconds:F0} µs per streaming step.");
        if (rows.FirstOrDefault(r => r.Name == "dense-long") is { } longer)
        {
            yield return string.Create(c, $"Equal training: dense-long ({longer.Updates:N0} updates) scores {longer.Wer:F2} % test / {longer.DevWer:F2} % dev, against {dense.Wer:F2} % / {dense.DevWer:F2} % for dense ({dense.Updates:N0} updates); its best epoch was {longer.BestEpoch} of {longer.Epochs} more.");
        }

        // Bands of 5 points, closed above: a row at 22.3 % belongs with the 25 % rows, never with the 20 % ones.
        foreach (var budget in rows.Where(r => !r.IsDense && r.Seed == 1).GroupBy(r => BudgetBand(r.ParamsRatio)).OrderByDescending(g => g.Key))
        {
            ResultRow bestDev = budget.OrderBy(r => r.DevWer).First();
            yield return string.Create(c, $"Above {100 * budget.Key - 5:F0} % and at most {100 * budget.Key:F0} % of the parameters, the best row on dev is {bestDev.Name} ({bestDev.DevWer:F2} % dev, {bestDev.Wer:F2} % test, gap {Signed(bestDev.Gap)}); rows: {string.Join(", ", budget.OrderBy(r => r.DevWer).Select(r => string.Create(c, $"{r.Name} {r.Wer:F2}")))}.");
        }

        var faster = rows.Where(r => !r.IsDense && r.StepMicroseconds < dense.StepMicroseconds).Select(r => r.Name).ToList();
        yield return string.Create(c, $"{faster.Count} of {rows.Count(r => !r.IsDense)} compact rows streamed faster than dense (step µs column){(faster.Count > 0 ? ": " + string.Join(", ", faster) : string.Empty)}.");
    }

    private static string Spread(List<double> values)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        if (values.Count == 0)
        {
            return "no finished seeds";
        }

        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : double.NaN;
        return string.Create(c, $"mean {mean:F2}, standard deviation {(double.IsNaN(sd) ? "—" : sd.ToString("F2", c))} over {values.Count} seed(s); values {string.Join(", ", values.Select(v => v.ToString("F2", c)))}");
    }

    private static string Ci(Interval interval, bool signed = false)
        => !interval.IsKnown ? string.Empty
            : signed ? string.Create(CultureInfo.InvariantCulture, $"[{SignedPoints.Format(interval.Low)}, {SignedPoints.Format(interval.High)}]")
            : string.Create(CultureInfo.InvariantCulture, $"[{interval.Low:F2}, {interval.High:F2}]");

    private static string Signed(double value) => double.IsNaN(value) ? "—" : SignedPoints.Format(value);

    private static string Value(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("F2", CultureInfo.InvariantCulture) : "—";
}
