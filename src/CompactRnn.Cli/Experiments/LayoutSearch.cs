using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactRnn.Cli.Speech;
using CompactRnn.Compression;
using CompactRnn.Models;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// Ranks compressed layouts on dev: each candidate is compressed from the trained dense model (its Toeplitz-like
/// layers by the search's <see cref="LayoutFit"/>, the activation fit in the CLI and the experiments), fine-tuned
/// briefly (one epoch over a fixed subset of the training set, at the fine-tuning rate), and scored by its dev
/// cross-entropy. The test split is never read. A small candidate set, scored honestly, rather than a large search
/// that would overfit dev. Every step is deterministic, so the ranking does not depend on the number of workers.
/// </summary>
internal static class LayoutSearch
{
    /// <summary>One scored candidate.</summary>
    /// <param name="Candidate">The layout.</param>
    /// <param name="Params">Parameters of the compressed network.</param>
    /// <param name="DevLossBefore">Dev cross-entropy right after compression.</param>
    /// <param name="DevLossAfter">Dev cross-entropy after the short fit (the ranking key).</param>
    /// <param name="Fit">The fit of the candidate's Toeplitz-like layers, or null if it has none.</param>
    public sealed record Result(LayoutCandidate Candidate, long Params, double DevLossBefore, double DevLossAfter, ToeplitzFit? Fit);

    /// <summary>A fixed, seeded subset of the training utterances for the short fits.</summary>
    public static SpeechSequenceDataset Subset(SpeechSequenceDataset train, int utterances, int seed)
    {
        if (utterances >= train.Count)
        {
            return train;
        }

        var random = new Random(seed);
        var chosen = Enumerable.Range(0, train.Count).OrderBy(_ => random.Next()).Take(utterances).Order().Select(i => train.Utterances[i]).ToList();
        return new SpeechSequenceDataset(train.Dataset, chosen);
    }

    /// <summary>Compresses <paramref name="dense"/> into <paramref name="candidate"/> by <paramref name="fit"/>, fits one epoch of <paramref name="fitSet"/> at <paramref name="rate"/>, and measures dev loss.</summary>
    public static Result Fit(LstmModel dense, LayoutCandidate candidate, LayoutFit fit, SpeechSequenceDataset fitSet, SpeechSequenceDataset dev, PlateauRecipe recipe,
        float rate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(fit);
        LstmModel compressed = candidate.Compress(dense, fit);
        float[] parameters = compressed.Parameters.ToArray();
        PlateauOutcome outcome = recipe.Train(compressed.Network, parameters, fitSet, dev, rate, 1, null, cancellationToken);
        double after = outcome.History.Length > 1 ? outcome.History[1].Validation!.Value.Loss : double.PositiveInfinity; // diverged: ranked last
        return new Result(candidate, compressed.Network.ParameterCount, outcome.History[0].Validation!.Value.Loss, after, candidate.HasToeplitzLayers ? fit.Method : null);
    }

    /// <summary>Scores every candidate (in parallel over <paramref name="workers"/>, each compressed by <paramref name="fit"/>) and returns them best first.</summary>
    public static IReadOnlyList<Result> Rank(LstmModel dense, IReadOnlyList<LayoutCandidate> candidates, LayoutFit fit, SpeechSequenceDataset fitSet,
        SpeechSequenceDataset dev, PlateauRecipe recipe, int workers, Action<string>? report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dense);
        if (candidates.Count == 0)
        {
            throw new CliException("No layout fits the budget.");
        }

        var results = new ConcurrentBag<Result>();
        Parallel.ForEach(Partitioner.Create(candidates, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            candidate =>
            {
                Result result = Fit(dense, candidate, fit, fitSet, dev, recipe, recipe.FineTuneRate, cancellationToken);
                results.Add(result);
                string fitted = result.Fit is { } method ? $" ({LayoutFit.Format(method)} fit)" : string.Empty;
                report?.Invoke($"{candidate.Label}{fitted}: {result.Params:N0} parameters, dev loss {result.DevLossBefore:F3} → {result.DevLossAfter:F3}");
            });
        return [.. results.OrderBy(r => r.DevLossAfter).ThenBy(r => r.Candidate.Label, StringComparer.Ordinal)];
    }
}
