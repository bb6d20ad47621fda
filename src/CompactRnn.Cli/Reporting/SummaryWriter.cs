using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CompactRnn.Cli.Experiments;

namespace CompactRnn.Cli.Reporting;

/// <summary>
/// summary.md: how the run was made, the table, a short reading of it computed from the rows, and the hand-written
/// notes.md of the results folder (kept there so that rewriting the summary never loses them).
/// </summary>
internal static class SummaryWriter
{
    public static string Write(ExperimentPreset preset, string command, string commit, string dataDescription, long denseParameters, IReadOnlyList<ResultRow> rows,
        TimeSpan? elapsed = null, string? notes = null)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"# CompactRnn experiment `{preset.Name}`");
        text.AppendLine();
        text.AppendLine(c, $"- Command: `{command}`");
        text.AppendLine(c, $"- Commit: `{commit}`; seed {preset.Recipe.Seed}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        text.AppendLine(c, $"- Data: {dataDescription}");
        text.AppendLine(c, $"- Model: {preset.Layers}-layer LSTMP, {preset.HiddenSize} cells, projection {preset.ProjectionSize}, peepholes, 40 log-mel inputs; dense baseline {denseParameters:N0} parameters.");
        string distillation = preset.FineTuneDistillation > 0 ? string.Create(c, $" with the dense model as teacher (α = {preset.FineTuneDistillation})") : string.Empty;
        text.AppendLine(c, $"- Recipe: Adam, warm-up + cosine from {preset.Recipe.LearningRate}, batch {preset.Recipe.BatchSize}, {preset.Recipe.Epochs} epochs (SVD variants: compress the trained dense model, then {preset.FineTuneEpochs} epoch(s) of fine-tuning at 0.3× the rate{distillation}), best epoch by dev loss.");
        if (elapsed is { } wall)
        {
            text.AppendLine(c, $"- Wall clock of the run that wrote this file: {wall.TotalMinutes:F1} min ({rows.Count} models in the folder; models finished by an earlier run are not retrained).");
        }
        text.AppendLine("- Scoring: digit-loop Viterbi decoder; acoustic scale and word-insertion penalty tuned on dev per model; WER on the test split, whose speakers (voices) and one accent are unseen in training. WER, SER and frame accuracy in %.");
        text.AppendLine();
        text.AppendLine("| name | kind | params | % of dense | test WER | S/D/I | SER | frame acc | dev WER | train s | step µs |");
        text.AppendLine("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        foreach (ResultRow r in rows.OrderBy(r => r.Kind == "dense" ? 0 : 1).ThenByDescending(r => r.ParamsRatio).ThenBy(r => r.Kind, StringComparer.Ordinal))
        {
            text.AppendLine(c, $"| {r.Name} | {r.Kind} | {r.Params:N0} | {100 * r.ParamsRatio:F1} | {r.Wer:F2} | {r.Substitutions}/{r.Deletions}/{r.Insertions} | {r.SentenceErrorRate:F1} | {r.FrameAccuracy:F1} | {r.DevWer:F2} | {r.TrainSeconds:F0} | {r.StepMicroseconds:F0} |");
        }

        text.AppendLine();
        text.AppendLine("## Reading");
        text.AppendLine();
        foreach (string line in Reading(rows))
        {
            text.AppendLine(c, $"- {line}");
        }

        text.AppendLine();
        text.AppendLine("![WER vs parameters](wer_vs_params.png)");
        text.AppendLine();
        text.AppendLine("![Training curves](training_curves.png)");
        if (!string.IsNullOrWhiteSpace(notes))
        {
            text.AppendLine();
            text.AppendLine(notes.TrimEnd());
        }

        return text.ToString();
    }

    /// <summary>Statements computed from the rows: the paper's bar, the best kind per budget, speed.</summary>
    public static IEnumerable<string> Reading(IReadOnlyList<ResultRow> rows)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        ResultRow? dense = rows.FirstOrDefault(r => r.Kind == "dense");
        if (dense is null)
        {
            yield return "The dense baseline has not finished; nothing to compare yet.";
            yield break;
        }

        yield return string.Create(c, $"Dense baseline: {dense.Wer:F2}% WER, {dense.FrameAccuracy:F1}% frame accuracy, {dense.StepMicroseconds:F0} µs per streaming step.");
        foreach (double limit in new[] { 0.25, 0.20 })
        {
            foreach (string kind in new[] { "hybrid", "hybrid-svd" })
            {
                string label = kind == "hybrid" ? "the hybrid trained from scratch" : "the hybrid compressed from dense and fine-tuned";
                ResultRow? h = rows.Where(r => r.Kind == kind && r.ParamsRatio <= limit + 0.005).OrderByDescending(r => r.ParamsRatio).FirstOrDefault();
                if (h is null)
                {
                    yield return string.Create(c, $"Paper's bar at ≤ {limit:P0}: {label} has not finished.");
                    continue;
                }

                double gap = h.Wer - dense.Wer;
                string verdict = gap <= 0.3 ? "meets" : "misses";
                yield return string.Create(c, $"Paper's bar at ≤ {limit:P0}: {label}, {h.Name} ({100 * h.ParamsRatio:F1}% of the parameters), has {h.Wer:F2}% WER, {gap:+0.00;-0.00} absolute vs dense: it {verdict} the +0.3 bar.");
            }
        }

        // Group by the planned budget (the name's suffix, e.g. hybrid-25): the achieved share can differ where fixed parts dominate.
        foreach (var budget in rows.Where(r => r.Kind != "dense").GroupBy(r => r.Name[(r.Name.LastIndexOf('-') + 1)..]).OrderByDescending(g => double.Parse(g.Key, c)))
        {
            ResultRow best = budget.OrderBy(r => r.Wer).First();
            ResultRow worst = budget.OrderBy(r => r.Wer).Last();
            yield return string.Create(c, $"Budget {budget.Key}% of the parameters: best {best.Name} ({best.Wer:F2}% WER at {100 * best.ParamsRatio:F1}%), worst {worst.Name} ({worst.Wer:F2}%).");
        }

        var faster = rows.Where(r => r.Kind != "dense" && r.StepMicroseconds < dense.StepMicroseconds).Select(r => r.Name).ToList();
        yield return string.Create(c, $"{faster.Count} of {rows.Count - 1} compact models stream faster than dense{(faster.Count > 0 ? ": " + string.Join(", ", faster) : string.Empty)}.");
    }
}
