using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactRnn.Cli.Speech;
using CompactRnn.GateMatrices;
using CompactRnn.Models;
using CompactRnn.Speech.Data;
using Spectre.Console;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// <c>experiment --preset rank-sweep</c>: <c>toeplitz:r=R</c> LSTMP models of the quick preset's size (2 layers, 128 cells,
/// projection 64) for R ∈ <see cref="Ranks"/>, each trained from scratch for every seed by one plateau recipe: the quick
/// preset's (<see cref="ExperimentPreset.Quick"/>: its rate, batch and clip) with a longer run (<see cref="DefaultMaxEpochs"/>, <see cref="DefaultPatience"/>,
/// <see cref="DefaultHalvingPatience"/>, chosen on dev, docs/math.md §13),
/// scored on dev only, plus the training loss of the kept parameters on a fixed training subset (<see cref="TrainLossUtterances"/>).
/// Writes <c>runs.csv</c> (one row per rank, seed, initialisation and recipe; a rerun skips the rows it has for its own
/// initialisation, epoch cap and patience that carry a training loss, retrains those that do not, and keeps the others),
/// <c>results.csv</c> (<c>r,params,dev_loss,dev_wer,diverged</c>, means over the seeds, then
/// <c>dev_loss_sd,train_loss,train_loss_sd,seeds</c>) and <c>summary.md</c>.
/// </summary>
/// <remarks>
/// The bar (issue #11): the mean dev loss is non-increasing in r within 2 % relative, read as "no rank's loss exceeds
/// 1.02 × the lowest loss of any smaller rank", and no run diverges. The same rule on the training loss tells an
/// optimiser that fails to use the rank (training loss rises with r too) from over-fitting or dev noise (it does not).
/// </remarks>
internal sealed partial class RankSweep
{
    /// <summary>The displacement ranks of the sweep.</summary>
    public static readonly int[] Ranks = [1, 2, 4, 8, 16];

    /// <summary>The sweep's epoch cap. The quick preset's 12 stopped nine of ten runs still improving (results/rank-sweep).</summary>
    public const int DefaultMaxEpochs = 40;

    /// <summary>Non-improving dev epochs in a row after which a run stops (the quick preset's: 2).</summary>
    public const int DefaultPatience = 4;

    /// <summary>Non-improving dev epochs in a row per halving of the rate (the quick preset's: 1). The 100-utterance dev
    /// loss moves by ±5 % from epoch to epoch at the peak rate, so halving on every such epoch cut the rate at random
    /// points and ranked luck as much as rank.</summary>
    public const int DefaultHalvingPatience = 2;

    /// <summary>Seeds per rank when none are given.</summary>
    public const int DefaultSeeds = 8;

    /// <summary>The relative slack of the monotonicity bar.</summary>
    public const double Slack = 0.02;

    /// <summary>Training utterances whose loss is reported per run: evenly spaced over the training split (indices
    /// ⌊i·N/200⌋), fixed for every rank and seed, as many as the dev set's 100 twice over.</summary>
    public const int TrainLossUtterances = 200;

    private const string RunsHeader = "r,seed,init,params,dev_loss,dev_wer,diverged,epochs,best_epoch,seconds,max_epochs,patience,halve_after,train_loss";

    private readonly SpeechSequenceDataset _train, _dev;
    private readonly SequenceSubset _trainScored;
    private readonly BudgetPlanner _planner;
    private readonly PlateauRecipe _recipe;
    private readonly string _folder;
    private readonly GateMatrixInit _init;
    private readonly int _seeds;
    private readonly int _workers;

    /// <param name="dataset">Train and dev splits are used.</param>
    /// <param name="folder">The results folder.</param>
    /// <param name="init">The initialisation of every model.</param>
    /// <param name="seeds">Seeds 1…<paramref name="seeds"/> per rank.</param>
    /// <param name="workers">Models trained at once (one core each; results do not depend on it).</param>
    /// <param name="maxEpochs">An epoch cap replacing <see cref="DefaultMaxEpochs"/>, or null.</param>
    /// <param name="patience">A patience replacing <see cref="DefaultPatience"/>, or null.</param>
    /// <param name="halveAfter">Non-improving epochs in a row per halving of the rate (<see cref="PlateauRecipe.HalvingPatience"/>), or null for <see cref="DefaultHalvingPatience"/>.</param>
    public RankSweep(SpeechDataset dataset, string folder, GateMatrixInit init, int seeds, int workers, int? maxEpochs, int? patience = null, int? halveAfter = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _train = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Train));
        _dev = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Dev));
        if (_train.Count == 0 || _dev.Count == 0)
        {
            throw new CliException("The rank sweep needs train and dev utterances with frame labels.");
        }

        int scored = Math.Min(TrainLossUtterances, _train.Count);
        _trainScored = new SequenceSubset(_train, [.. Enumerable.Range(0, scored).Select(i => (int)((long)i * _train.Count / scored))]);
        _planner = new BudgetPlanner(ExperimentPreset.Quick, dataset.FeatureDimension, dataset.ClassCount);
        PlateauRecipe quick = ExperimentPreset.Quick.Recipe;
        _recipe = quick with { MaxEpochs = maxEpochs ?? DefaultMaxEpochs, Patience = patience ?? DefaultPatience, HalvingPatience = halveAfter ?? DefaultHalvingPatience };
        _folder = folder;
        _init = init;
        _seeds = seeds;
        _workers = workers;
    }

    /// <summary>One trained model.</summary>
    /// <remarks><paramref name="MaxEpochs"/>, <paramref name="Patience"/> and <paramref name="HalveAfter"/> are the recipe's; rows
    /// written before those columns existed were trained with the quick recipe's 12, 2 and 1. <paramref name="TrainLoss"/> is the
    /// mean cross-entropy of the kept (best dev) parameters on the <see cref="TrainLossUtterances"/> scored training utterances,
    /// NaN (an empty cell) for rows written before it was measured.</remarks>
    public sealed record Run(int Rank, int Seed, string Init, long Parameters, double DevLoss, double DevWer, bool Diverged, int Epochs, int BestEpoch, double Seconds,
        int MaxEpochs, int Patience, int HalveAfter, double TrainLoss = double.NaN)
    {
        public string ToCsv() => string.Create(CultureInfo.InvariantCulture,
            $"{Rank},{Seed},{Init},{Parameters},{DevLoss:F4},{DevWer:F2},{(Diverged ? 1 : 0)},{Epochs},{BestEpoch},{Seconds:F1},{MaxEpochs},{Patience},{HalveAfter},{(double.IsNaN(TrainLoss) ? string.Empty : TrainLoss.ToString("F4", CultureInfo.InvariantCulture))}");

        /// <summary>Whether this run was trained by <paramref name="init"/> and <paramref name="recipe"/>.</summary>
        public bool Matches(string init, PlateauRecipe recipe) => Init == init && MaxEpochs == recipe.MaxEpochs && Patience == recipe.Patience && HalveAfter == recipe.HalvingPatience;

        public static Run Parse(string line)
        {
            string[] f = line.Split(',');
            if (f.Length is not (10 or 13 or 14))
            {
                throw new CliException($"runs.csv: cannot read '{line}' (expected {RunsHeader}).");
            }

            var c = CultureInfo.InvariantCulture;
            (int cap, int patience, int halveAfter) = f.Length >= 13 ? (int.Parse(f[10], c), int.Parse(f[11], c), int.Parse(f[12], c)) : (12, 2, 1);
            double trainLoss = f.Length == 14 && f[13].Length > 0 ? double.Parse(f[13], c) : double.NaN;
            return new Run(int.Parse(f[0], c), int.Parse(f[1], c), f[2], long.Parse(f[3], c), double.Parse(f[4], c), double.Parse(f[5], c), f[6] == "1",
                int.Parse(f[7], c), int.Parse(f[8], c), double.Parse(f[9], c), cap, patience, halveAfter, trainLoss);
        }
    }

    /// <summary>One rank, averaged over its seeds; the standard deviations are over seeds (n − 1 in the denominator, NaN
    /// for one seed).</summary>
    public sealed record Row(int Rank, long Parameters, double DevLoss, double DevWer, bool Diverged, double DevLossSd, double TrainLoss, double TrainLossSd, int Seeds);

    /// <summary>The spec of rank <paramref name="rank"/>.</summary>
    public string Spec(int rank) => string.Create(CultureInfo.InvariantCulture, $"toeplitz:r={rank},init={NetworkSpec.FormatInit(_init)} x{_planner.Layers}");

    /// <summary>Trains every (rank, seed) not yet in runs.csv, then writes results.csv and summary.md.</summary>
    /// <returns>The rows of results.csv.</returns>
    public IReadOnlyList<Row> Execute(string commandLine, string commit, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        string runsPath = Path.Combine(_folder, "runs.csv");
        string initName = NetworkSpec.FormatInit(_init);
        var runs = new ConcurrentDictionary<(int, int), Run>();
        if (File.Exists(runsPath))
        {
            // A row of this recipe without a training loss was written before it was measured; the sweep keeps no models,
            // so it is trained again (a run is deterministic for its seed) and replaced.
            foreach (Run run in File.ReadLines(runsPath).Skip(1).Where(l => l.Length > 0).Select(Run.Parse).Where(r => r.Matches(initName, _recipe) && !double.IsNaN(r.TrainLoss)))
            {
                runs[(run.Rank, run.Seed)] = run;
            }
        }

        // Seed by seed (a cut-short sweep still has whole sweeps), largest rank first within a seed (the slowest).
        var pending = Enumerable.Range(1, _seeds).SelectMany(s => Ranks.Reverse().Select(r => (Rank: r, Seed: s))).Where(p => !runs.ContainsKey(p)).ToList();
        var gate = new object();
        Say($"Rank sweep ({initName}): {pending.Count} of {Ranks.Length * _seeds} runs to train, {_workers} worker(s).");
        Parallel.ForEach(Partitioner.Create(pending, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = _workers, CancellationToken = cancellationToken },
            p =>
            {
                Run run = TrainOne(p.Rank, p.Seed, cancellationToken);
                lock (gate)
                {
                    runs[p] = run;
                    WriteRuns(runsPath, runs.Values);
                    WriteResults(runs.Values, commandLine, commit); // after every run, so a sweep cut short still reports what it has
                }
            });

        var rows = WriteResults(runs.Values, commandLine, commit);
        foreach (Row row in rows)
        {
            AnsiConsole.MarkupLineInterpolated($"r={row.Rank}: {row.Parameters:N0} parameters, dev loss {row.DevLoss:F4}, train loss {row.TrainLoss:F4}, dev WER {row.DevWer:F2}%{(row.Diverged ? " (diverged)" : string.Empty)}");
        }

        AnsiConsole.MarkupLineInterpolated($"{Verdict(rows)} {TrainVerdict(rows)} Wrote {_folder}/results.csv, runs.csv, summary.md.");
        return rows;
    }

    private Run TrainOne(int rank, int seed, CancellationToken cancellationToken)
    {
        var network = new LstmNetwork(_planner.Options(Spec(rank)));
        var parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed);
        PlateauRecipe recipe = _recipe with { Seed = seed };
        string name = string.Create(CultureInfo.InvariantCulture, $"r={rank} seed {seed}");
        Say($"{name}: {NetworkSpec.Format(network.Options.Layers)}, {network.ParameterCount:N0} parameters.");
        PlateauOutcome outcome = recipe.Train(network, parameters, _train, _dev, recipe.LearningRate, 0, new LineProgress(line => Say($"{name}: {line}")), cancellationToken);
        double devLoss = outcome.History[outcome.BestEpoch].Validation!.Value.Loss;
        double devWer = ModelScorer.Score(outcome.Model, _dev, [])[0].Wer;
        double trainLoss = recipe.Evaluate(network, parameters, _trainScored).Loss; // parameters: the best dev epoch's
        Say($"{name}: dev loss {devLoss:F4}, train loss {trainLoss:F4}, dev WER {devWer:F2}% ({outcome.Epochs} epochs, best {outcome.BestEpoch}, {outcome.Seconds:F0} s){(outcome.Stopped is null ? string.Empty : $"; {outcome.Stopped}")}.");
        return new Run(rank, seed, NetworkSpec.FormatInit(_init), network.ParameterCount, devLoss, devWer, outcome.Stopped is not null, outcome.Epochs, outcome.BestEpoch, outcome.Seconds,
            _recipe.MaxEpochs, _recipe.Patience, _recipe.HalvingPatience, trainLoss);
    }

    private static void WriteRuns(string path, IEnumerable<Run> runs)
    {
        // Rows of other schemes and recipes in the same folder are kept, so one folder can hold a comparison of initialisations and recipes.
        var lines = File.Exists(path) ? File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(Run.Parse).ToList() : [];
        var merged = lines.Where(l => !runs.Any(r => r.Rank == l.Rank && r.Seed == l.Seed && r.Init == l.Init && r.MaxEpochs == l.MaxEpochs && r.Patience == l.Patience && r.HalveAfter == l.HalveAfter))
            .Concat(runs).OrderBy(r => r.Init, StringComparer.Ordinal).ThenBy(r => r.MaxEpochs).ThenBy(r => r.Patience).ThenBy(r => r.HalveAfter).ThenBy(r => r.Rank).ThenBy(r => r.Seed);
        ResultsStore.WriteAtomically(path, RunsHeader + "\n" + string.Concat(merged.Select(r => r.ToCsv() + "\n")));
    }

    private static readonly object ConsoleGate = new();

    private static void Say(string line)
    {
        lock (ConsoleGate)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]{DateTime.UtcNow:HH:mm:ss}[/] {line}");
        }
    }

    private sealed class LineProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
