using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
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
/// scored on dev only. Writes <c>runs.csv</c> (one row per rank, seed, initialisation and recipe; a rerun skips the rows
/// it has for its own initialisation, epoch cap and patience, and keeps the others),
/// <c>results.csv</c> (<c>r,params,dev_loss,dev_wer,diverged</c>, means over the seeds) and <c>summary.md</c>.
/// </summary>
/// <remarks>
/// The bar (issue #11): the mean dev loss is non-increasing in r within 2 % relative, read as "no rank's loss exceeds
/// 1.02 × the lowest loss of any smaller rank", and no run diverges.
/// </remarks>
internal sealed class RankSweep
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
    public const int DefaultSeeds = 3;

    /// <summary>The relative slack of the monotonicity bar.</summary>
    public const double Slack = 0.02;

    private const string RunsHeader = "r,seed,init,params,dev_loss,dev_wer,diverged,epochs,best_epoch,seconds,max_epochs,patience,halve_after";

    private readonly SpeechSequenceDataset _train, _dev;
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
    /// written before those columns existed were trained with the quick recipe's 12, 2 and 1.</remarks>
    public sealed record Run(int Rank, int Seed, string Init, long Parameters, double DevLoss, double DevWer, bool Diverged, int Epochs, int BestEpoch, double Seconds,
        int MaxEpochs, int Patience, int HalveAfter)
    {
        public string ToCsv() => string.Create(CultureInfo.InvariantCulture,
            $"{Rank},{Seed},{Init},{Parameters},{DevLoss:F4},{DevWer:F2},{(Diverged ? 1 : 0)},{Epochs},{BestEpoch},{Seconds:F1},{MaxEpochs},{Patience},{HalveAfter}");

        /// <summary>Whether this run was trained by <paramref name="init"/> and <paramref name="recipe"/>.</summary>
        public bool Matches(string init, PlateauRecipe recipe) => Init == init && MaxEpochs == recipe.MaxEpochs && Patience == recipe.Patience && HalveAfter == recipe.HalvingPatience;

        public static Run Parse(string line)
        {
            string[] f = line.Split(',');
            if (f.Length is not (10 or 13))
            {
                throw new CliException($"runs.csv: cannot read '{line}' (expected {RunsHeader}).");
            }

            var c = CultureInfo.InvariantCulture;
            (int cap, int patience, int halveAfter) = f.Length == 13 ? (int.Parse(f[10], c), int.Parse(f[11], c), int.Parse(f[12], c)) : (12, 2, 1);
            return new Run(int.Parse(f[0], c), int.Parse(f[1], c), f[2], long.Parse(f[3], c), double.Parse(f[4], c), double.Parse(f[5], c), f[6] == "1",
                int.Parse(f[7], c), int.Parse(f[8], c), double.Parse(f[9], c), cap, patience, halveAfter);
        }
    }

    /// <summary>One rank, averaged over its seeds.</summary>
    public sealed record Row(int Rank, long Parameters, double DevLoss, double DevWer, bool Diverged);

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
            foreach (Run run in File.ReadLines(runsPath).Skip(1).Where(l => l.Length > 0).Select(Run.Parse).Where(r => r.Matches(initName, _recipe)))
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
            AnsiConsole.MarkupLineInterpolated($"r={row.Rank}: {row.Parameters:N0} parameters, dev loss {row.DevLoss:F4}, dev WER {row.DevWer:F2}%{(row.Diverged ? " (diverged)" : string.Empty)}");
        }

        AnsiConsole.MarkupLineInterpolated($"{Verdict(rows)} Wrote {_folder}/results.csv, runs.csv, summary.md.");
        return rows;
    }

    private List<Row> WriteResults(IEnumerable<Run> runs, string commandLine, string commit)
    {
        var all = runs.Where(r => r.Seed <= _seeds).OrderBy(r => r.Rank).ThenBy(r => r.Seed).ToList();
        var rows = Ranks.Select(r => all.Where(x => x.Rank == r).ToList()).Where(g => g.Count > 0)
            .Select(g => new Row(g[0].Rank, g[0].Parameters, g.Average(x => x.DevLoss), g.Average(x => x.DevWer), g.Any(x => x.Diverged))).ToList();
        var csv = new StringBuilder("r,params,dev_loss,dev_wer,diverged\n");
        foreach (Row row in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{row.Rank},{row.Parameters},{row.DevLoss:F4},{row.DevWer:F2},{(row.Diverged ? 1 : 0)}\n");
        }

        ResultsStore.WriteAtomically(Path.Combine(_folder, "results.csv"), csv.ToString());
        ResultsStore.WriteAtomically(Path.Combine(_folder, "summary.md"), Summary(rows, all, commandLine, commit));
        return rows;
    }

    /// <summary>The bar's verdict as one sentence.</summary>
    public static string Verdict(IReadOnlyList<Row> rows)
    {
        var breaks = new List<string>();
        double best = double.PositiveInfinity;
        int bestRank = 0;
        foreach (Row row in rows)
        {
            if (row.DevLoss > best * (1 + Slack))
            {
                breaks.Add(string.Create(CultureInfo.InvariantCulture, $"r={row.Rank} ({row.DevLoss:F4}) is {(row.DevLoss / best) - 1:P1} above r={bestRank} ({best:F4})"));
            }

            if (row.DevLoss < best)
            {
                (best, bestRank) = (row.DevLoss, row.Rank);
            }
        }

        string diverged = rows.Any(r => r.Diverged) ? $" Diverged: r = {string.Join(", ", rows.Where(r => r.Diverged).Select(r => r.Rank))}." : " No run diverged.";
        return (breaks.Count == 0 ? "Bar met: dev loss is non-increasing in r within 2 % relative." : "Bar missed: " + string.Join("; ", breaks) + ".") + diverged;
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
        Say($"{name}: dev loss {devLoss:F4}, dev WER {devWer:F2}% ({outcome.Epochs} epochs, best {outcome.BestEpoch}, {outcome.Seconds:F0} s){(outcome.Stopped is null ? string.Empty : $"; {outcome.Stopped}")}.");
        return new Run(rank, seed, NetworkSpec.FormatInit(_init), network.ParameterCount, devLoss, devWer, outcome.Stopped is not null, outcome.Epochs, outcome.BestEpoch, outcome.Seconds,
            _recipe.MaxEpochs, _recipe.Patience, _recipe.HalvingPatience);
    }

    private static void WriteRuns(string path, IEnumerable<Run> runs)
    {
        // Rows of other schemes and recipes in the same folder are kept, so one folder can hold a comparison of initialisations and recipes.
        var lines = File.Exists(path) ? File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(Run.Parse).ToList() : [];
        var merged = lines.Where(l => !runs.Any(r => r.Rank == l.Rank && r.Seed == l.Seed && r.Init == l.Init && r.MaxEpochs == l.MaxEpochs && r.Patience == l.Patience && r.HalveAfter == l.HalveAfter))
            .Concat(runs).OrderBy(r => r.Init, StringComparer.Ordinal).ThenBy(r => r.MaxEpochs).ThenBy(r => r.Patience).ThenBy(r => r.HalveAfter).ThenBy(r => r.Rank).ThenBy(r => r.Seed);
        ResultsStore.WriteAtomically(path, RunsHeader + "\n" + string.Concat(merged.Select(r => r.ToCsv() + "\n")));
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
        text.AppendLine();
        int expected = Ranks.Length * _seeds;
        text.AppendLine(CultureInfo.InvariantCulture, $"**{(runs.Count < expected ? $"Incomplete ({runs.Count} of {expected} runs). " : string.Empty)}{Verdict(rows)}**");
        text.AppendLine();
        text.AppendLine("| r | params | dev loss (mean) | dev WER % (mean) | diverged | per seed: dev loss / dev WER % (epochs, best) |");
        text.AppendLine("|---:|---:|---:|---:|---|---|");
        foreach (Row row in rows)
        {
            string seeds = string.Join("; ", runs.Where(r => r.Rank == row.Rank).Select(r => string.Create(CultureInfo.InvariantCulture, $"s{r.Seed}: {r.DevLoss:F4} / {r.DevWer:F2} ({r.Epochs}, {r.BestEpoch})")));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Rank} | {row.Parameters:N0} | {row.DevLoss:F4} | {row.DevWer:F2} | {(row.Diverged ? "yes" : "no")} | {seeds} |");
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
