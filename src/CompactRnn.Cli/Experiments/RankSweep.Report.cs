using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CompactRnn.Models;

namespace CompactRnn.Cli.Experiments;

/// <content>The sweep's outputs: results.csv, summary.md and the verdicts on dev and training loss.</content>
internal sealed partial class RankSweep
{
    private const string ResultsHeader = "r,params,dev_loss,dev_wer,diverged,dev_loss_sd,train_loss,train_loss_sd,seeds";

    /// <summary>The bar's verdict (issue #11: mean dev loss non-increasing in r within <see cref="Slack"/>, no run diverged) as
    /// one sentence; every rank that breaks it is compared with its seed spread (<see cref="Breaks"/>).</summary>
    public static string Verdict(IReadOnlyList<Row> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        List<string> breaks = Breaks(rows, r => r.DevLoss, r => r.DevLossSd);
        string diverged = rows.Any(r => r.Diverged) ? $" Diverged: r = {string.Join(", ", rows.Where(r => r.Diverged).Select(r => r.Rank))}." : " No run diverged.";
        return (breaks.Count == 0 ? "Bar met: dev loss is non-increasing in r within 2 % relative." : "Bar missed: " + string.Join("; ", breaks) + ".") + diverged;
    }

    /// <summary>The same rule on the mean training loss of the kept parameters (not the issue's bar): a rise with r there means
    /// the optimiser does not use the rank; a rise on dev alone means over-fitting or dev noise.</summary>
    public static string TrainVerdict(IReadOnlyList<Row> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0 || rows.Any(r => double.IsNaN(r.TrainLoss)))
        {
            return "Train loss: not measured for every rank.";
        }

        List<string> breaks = Breaks(rows, r => r.TrainLoss, r => r.TrainLossSd);
        return breaks.Count == 0
            ? "Train loss (same rule): non-increasing in r within 2 % relative."
            : "Train loss (same rule) rises: " + string.Join("; ", breaks) + ".";
    }

    /// <summary>Every rank whose mean exceeds (1 + <see cref="Slack"/>) × the lowest mean of a smaller rank, as text. The gap to that
    /// rank counts as beyond seed noise when it exceeds twice the standard error of the difference of the two means,
    /// √(s₁²/n₁ + s₂²/n₂) with s the standard deviation over seeds.</summary>
    private static List<string> Breaks(IReadOnlyList<Row> rows, Func<Row, double> mean, Func<Row, double> sd)
    {
        var breaks = new List<string>();
        Row? best = null;
        foreach (Row row in rows)
        {
            if (best is not null && mean(row) > mean(best) * (1 + Slack))
            {
                double gap = mean(row) - mean(best);
                double twoSe = 2 * Math.Sqrt((sd(row) * sd(row) / row.Seeds) + (sd(best) * sd(best) / best.Seeds));
                string noise = double.IsNaN(twoSe) ? "one seed, no spread"
                    : string.Create(CultureInfo.InvariantCulture, $"the gap {gap:F4} is {(gap > twoSe ? "beyond" : "within")} twice its seed standard error ({twoSe:F4})");
                breaks.Add(string.Create(CultureInfo.InvariantCulture,
                    $"r={row.Rank} ({MeanSd(mean(row), sd(row))}) is {(mean(row) / mean(best)) - 1:P1} above r={best.Rank} ({MeanSd(mean(best), sd(best))}), {noise}"));
            }

            if (best is null || mean(row) < mean(best))
            {
                best = row;
            }
        }

        return breaks;
    }

    private static string MeanSd(double mean, double sd) => double.IsNaN(sd)
        ? mean.ToString("F4", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{mean:F4} ± {sd:F4}");

    // The sample standard deviation (n − 1), NaN below two values.
    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return double.NaN;
        }

        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static string Cell(double value, string format) => double.IsNaN(value) ? string.Empty : value.ToString(format, CultureInfo.InvariantCulture);

    private List<Row> WriteResults(IEnumerable<Run> runs, string commandLine, string commit)
    {
        var all = runs.Where(r => r.Seed <= _seeds).OrderBy(r => r.Rank).ThenBy(r => r.Seed).ToList();
        var rows = Ranks.Select(r => all.Where(x => x.Rank == r).ToList()).Where(g => g.Count > 0)
            .Select(g => new Row(g[0].Rank, g[0].Parameters, g.Average(x => x.DevLoss), g.Average(x => x.DevWer), g.Any(x => x.Diverged),
                StandardDeviation([.. g.Select(x => x.DevLoss)]), g.Average(x => x.TrainLoss), StandardDeviation([.. g.Select(x => x.TrainLoss)]), g.Count)).ToList();
        var csv = new StringBuilder(ResultsHeader + "\n");
        foreach (Row row in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{row.Rank},{row.Parameters},{row.DevLoss:F4},{row.DevWer:F2},{(row.Diverged ? 1 : 0)},")
                .Append(CultureInfo.InvariantCulture, $"{Cell(row.DevLossSd, "F4")},{Cell(row.TrainLoss, "F4")},{Cell(row.TrainLossSd, "F4")},{row.Seeds}\n");
        }

        ResultsStore.WriteAtomically(Path.Combine(_folder, "results.csv"), csv.ToString());
        ResultsStore.WriteAtomically(Path.Combine(_folder, "summary.md"), Summary(rows, all, commandLine, commit));
        return rows;
    }

    private string Summary(List<Row> rows, List<Run> runs, string commandLine, string commit)
    {
        var text = new StringBuilder();
        text.AppendLine("# Rank sweep: Toeplitz-like LSTMP, displacement rank r");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{commandLine}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Commit: `{commit}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Models: `{Spec(1).Replace("r=1", "r=R", StringComparison.Ordinal)}` with 128 cells, projection 64, peepholes (the quick preset's size); init `{NetworkSpec.FormatInit(_init)}`, step-size multipliers of docs/math.md §13 on.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Recipe: plateau (Adam {_recipe.LearningRate:G3}, batch {_recipe.BatchSize}, clip {_recipe.ClipNorm:G3}, halve the rate after every {(_recipe.HalvingPatience == 1 ? "non-improving dev epoch" : $"{_recipe.HalvingPatience} non-improving dev epochs in a row")}, stop after {_recipe.Patience} in a row, cap {_recipe.MaxEpochs}); seeds 1–{_seeds} (initialisation and shuffling); dev loss of the best dev epoch, dev WER with the decoder tuned on dev. Test is not scored.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Data: {_train.Count} train / {_dev.Count} dev utterances of the embedded set.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Train loss: mean cross-entropy of the kept (best dev) parameters on {_trainScored.Count} training utterances evenly spaced over the {_train.Count} (indices ⌊i·{_train.Count}/{_trainScored.Count}⌋), scored as the dev loss. The bar's rule applied to it separates an optimiser that does not use the rank (train loss rises with r) from over-fitting or dev noise (it does not).");
        text.AppendLine("- Spread: ± is the standard deviation over seeds (n − 1); a gap that breaks a rule is beyond seed noise when it exceeds twice the standard error of the difference of the two means, √(s₁²/n₁ + s₂²/n₂).");
        text.AppendLine();
        int expected = Ranks.Length * _seeds;
        text.AppendLine(CultureInfo.InvariantCulture, $"**{(runs.Count < expected ? $"Incomplete ({runs.Count} of {expected} runs). " : string.Empty)}{Verdict(rows)}**");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"**{TrainVerdict(rows)}**");
        text.AppendLine();
        text.AppendLine("| r | params | dev loss (mean ± sd) | train loss (mean ± sd) | dev WER % (mean) | diverged | per seed: dev loss / train loss / dev WER % (epochs, best) |");
        text.AppendLine("|---:|---:|---:|---:|---:|---|---|");
        foreach (Row row in rows)
        {
            string seeds = string.Join("; ", runs.Where(r => r.Rank == row.Rank).Select(r => string.Create(CultureInfo.InvariantCulture, $"s{r.Seed}: {r.DevLoss:F4} / {r.TrainLoss:F4} / {r.DevWer:F2} ({r.Epochs}, {r.BestEpoch})")));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Rank} | {row.Parameters:N0} | {MeanSd(row.DevLoss, row.DevLossSd)} | {MeanSd(row.TrainLoss, row.TrainLossSd)} | {row.DevWer:F2} | {(row.Diverged ? "yes" : "no")} | {seeds} |");
        }

        AppendOtherRecipes(text);
        return text.ToString();
    }

    // Rows of runs.csv trained by another initialisation or recipe (kept for comparison), as mean dev loss per rank.
    private void AppendOtherRecipes(StringBuilder text)
    {
        string path = Path.Combine(_folder, "runs.csv");
        string initName = NetworkSpec.FormatInit(_init);
        var others = File.Exists(path) ? File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(Run.Parse).Where(r => !r.Matches(initName, _recipe)).ToList() : [];
        if (others.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("Other runs in runs.csv (another initialisation or recipe; not part of the verdict above), mean dev loss over the seeds listed:");
        text.AppendLine();
        text.AppendLine("| init | cap | patience | halve after | " + string.Join(" | ", Ranks.Select(r => string.Create(CultureInfo.InvariantCulture, $"r={r}"))) + " |");
        text.AppendLine("|---|---:|---:|---:|" + string.Concat(Ranks.Select(_ => "---:|")));
        foreach (var group in others.GroupBy(r => (r.Init, r.MaxEpochs, r.Patience, r.HalveAfter)).OrderBy(g => g.Key))
        {
            string cells = string.Join(" | ", Ranks.Select(rank => group.Where(r => r.Rank == rank).ToList() is { Count: > 0 } at
                ? string.Create(CultureInfo.InvariantCulture, $"{at.Average(r => r.DevLoss):F4} (s{string.Join(",", at.Select(r => r.Seed).Order())})")
                : "—"));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key.Init} | {group.Key.MaxEpochs} | {group.Key.Patience} | {group.Key.HalveAfter} | {cells} |");
        }
    }
}
