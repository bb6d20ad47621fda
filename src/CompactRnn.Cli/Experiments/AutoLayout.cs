using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CompactRnn.Cli.Speech;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Speech.Data;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// <c>compress --to auto --budget B</c>: every one-kind layout (low-rank, shared low-rank, Toeplitz-like) and every
/// hybrid split of <see cref="BudgetPlanner.Hybrids"/> within the budget, each compressed from the source model,
/// fitted briefly and ranked by dev loss (<see cref="LayoutSearch"/>). The test split is never read.
/// </summary>
internal static class AutoLayout
{
    /// <summary>The candidates of a source model at a budget share.</summary>
    public static IReadOnlyList<LayoutCandidate> Candidates(LstmModel source, double budget)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!(budget > 0 && budget <= 1))
        {
            throw new CliException($"--budget must be in (0, 1] (got {budget}).");
        }

        LstmNetworkOptions options = source.Network.Options;
        if (options.Layers.Any(l => l.Input is not DenseGateMatrixSpec || l.Recurrent is not DenseGateMatrixSpec) || options.Layers.Distinct().Count() != 1)
        {
            throw new CliException("--to auto needs a dense source model whose layers all have the same sizes.");
        }

        var planner = new BudgetPlanner(options.Layers.Count, options.Layers[0], options.InputSize, options.OutputSize);
        var candidates = new List<LayoutCandidate>();
        foreach (LayoutKind kind in new[] { LayoutKind.LowRank, LayoutKind.SharedLowRank, LayoutKind.ToeplitzLike })
        {
            if (planner.Uniform(kind, budget) is { } layout)
            {
                candidates.Add(layout);
            }
        }

        candidates.AddRange(planner.Hybrids(budget));
        return candidates;
    }

    /// <summary>
    /// Ranks the candidates on the dataset's dev split after a short fit on a seeded subset of its training split, each
    /// candidate's Toeplitz-like layers fitted by <paramref name="fit"/> (the CLI passes the activation fit with
    /// <see cref="LayoutFit.DefaultSearchIterations"/> iterations).
    /// </summary>
    public static IReadOnlyList<LayoutSearch.Result> Rank(LstmModel source, double budget, SpeechDataset dataset, LayoutFit fit, int searchUtterances, int batchSize,
        int workers, Action<string> report, CancellationToken cancellationToken)
    {
        var train = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Train));
        var dev = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Dev));
        if (train.Count == 0 || dev.Count == 0)
        {
            throw new CliException("--to auto needs a dataset with train and dev utterances.");
        }

        var recipe = new PlateauRecipe(batchSize, PlateauRecipe.DefaultLearningRate, MaxEpochs: 1, Patience: 1, ClipNorm: 5f, Seed: 1);
        return LayoutSearch.Rank(source, Candidates(source, budget), fit, LayoutSearch.Subset(train, searchUtterances, seed: 1), dev, recipe, workers, report, cancellationToken);
    }
}
