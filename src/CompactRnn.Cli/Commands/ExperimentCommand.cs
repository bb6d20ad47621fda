using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CompactRnn.Cli.Experiments;
using CompactRnn.Cli.Reporting;
using CompactRnn.Cli.Speech;
using CompactRnn.Speech.Data;
using Spectre.Console;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Cli.Commands;

/// <summary><c>experiment</c>: dense vs the hybrid and the other compact kinds at matched budgets, trained to convergence, scored by WER with intervals.</summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "quick (embedded data, 2-layer model), full (the generated benchmark set, 3-layer LSTMP) or rank-sweep (toeplitz:r=1…16 on the quick size, dev only).", DefaultValueFactory = _ => "quick" };
        var data = new Option<string?>("--data") { Description = "Dataset file; default: the preset's." };
        var output = new Option<string?>("--out") { Description = $"Results folder; default: {ExperimentPreset.Quick.DefaultOutput} (git-ignored) for quick, {ExperimentPreset.Full.DefaultOutput} for full." };
        var committed = new Option<bool>("--update-committed") { Description = $"quick only: write to the committed {ExperimentPreset.CommittedQuickOutput} instead of the git-ignored default." };
        var workers = new Option<int>("--workers") { Description = "Models trained at once (each on one core; results do not depend on it).", DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount) };
        var maxEpochs = new Option<int?>("--max-epochs") { Description = "Override the preset's epoch cap (e.g. 1 for a smoke run); recorded in the summary's command." };
        var reportOnly = new Option<bool>("--report-only") { Description = "Train nothing: time the finished models and rewrite summary.md and the plots from them (e.g. after an interrupted sweep)." };
        var init = new Option<string?>("--init") { Description = "rank-sweep only: vp, rank-scaled or orth (default: the library's, docs/math.md §9)." };
        var seeds = new Option<int>("--seeds") { Description = "rank-sweep only: seeds per rank (1…N).", DefaultValueFactory = _ => RankSweep.DefaultSeeds };
        var patience = new Option<int?>("--patience") { Description = "rank-sweep only: non-improving dev epochs in a row after which a run stops; default: the sweep's recipe." };
        var restart = new Option<bool>("--restart") { Description = "Discard the results folder's models, search and results and start over (needed when it holds a run of other data or settings)." };
        var adopt = new Option<bool>("--adopt") { Description = "Resume a results folder made before run keys existed (it has no run-key.txt): record this run's key in it. Use only when it was made with the same data and settings; a rebuilt source model reports whether it reproduces its recorded row." };
        var halveAfter = new Option<int?>("--halve-after") { Description = "rank-sweep only: non-improving dev epochs in a row per halving of the rate; default: the sweep's recipe." };
        var command = new Command("experiment", "Train dense, the hybrid and other compact kinds at ≈25/20% of its parameters until dev loss stops improving; report WER with bootstrap intervals.")
        {
            preset, data, output, committed, workers, maxEpochs, reportOnly, restart, adopt, init, seeds, patience, halveAfter,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(preset) == RankSweepCommand.PresetName)
            {
                return RankSweepCommand.Run(parse.GetValue(data), parse.GetValue(output), parse.GetValue(init), parse.GetValue(seeds), parse.GetValue(workers),
                    parse.GetValue(maxEpochs), parse.GetValue(patience), parse.GetValue(halveAfter), GitCommit(), cancellationToken);
            }


            ExperimentPreset chosen = ExperimentPreset.Get(parse.GetValue(preset)!);
            bool toCommitted = parse.GetValue(committed);
            if (toCommitted && (chosen.Name != ExperimentPreset.Quick.Name || parse.GetValue(output) is not null || parse.GetValue(maxEpochs) is not null))
            {
                throw new CliException("--update-committed applies to --preset quick, without --out or --max-epochs.");
            }

            if (parse.GetValue(maxEpochs) is { } cap)
            {
                chosen = chosen with { Recipe = chosen.Recipe with { MaxEpochs = TrainCommand.Positive(cap, "--max-epochs") } };
            }

            string dataPath = parse.GetValue(data) ?? chosen.DefaultData;
            string folder = parse.GetValue(output) ?? (toCommitted ? ExperimentPreset.CommittedQuickOutput : chosen.DefaultOutput);
            int workerCount = parse.GetValue(workers);
            if (workerCount < 1)
            {
                throw new CliException($"--workers must be at least 1 (got {workerCount}).");
            }

            if (parse.GetValue(reportOnly) && parse.GetValue(restart))
            {
                throw new CliException("--restart discards results; --report-only reports them: use one or the other.");
            }

            if (parse.GetValue(adopt) && (parse.GetValue(restart) || parse.GetValue(reportOnly)))
            {
                throw new CliException("--adopt resumes a folder: it goes with neither --restart nor --report-only.");
            }

            if (parse.GetValue(reportOnly) && !File.Exists(Path.Combine(folder, "results.csv")))
            {
                // Checked before the results store is opened, which would create the folder.
                throw new CliException($"--report-only: nothing to report in '{folder}' (no results.csv); run the experiment without --report-only first.");
            }

            if (parse.GetValue(data) is null && !CommonOptions.CanResolve(dataPath) && GenerateCommand(chosen) is { } generate)
            {
                throw new CliException($"--preset {chosen.Name} needs {dataPath}, which is generated rather than committed. Generate it (needs espeak-ng) with: {generate}");
            }

            SpeechDataset dataset = CommonOptions.LoadDataset(dataPath);
            string key = RunKey.Compute(chosen, CommonOptions.Resolve(dataPath), dataset.Description);
            if (!parse.GetValue(reportOnly))
            {
                RunKey.Prepare(folder, key, parse.GetValue(restart), parse.GetValue(adopt)); // before the results store reads anything it would resume from
            }
            else if (RunKey.Mismatch(folder, key) is { } warning)
            {
                Console.Error.WriteLine($"warning: {warning}");
            }

            var sets = ScoredSets(dataset);
            IWerIntervals intervals = Bootstrap;
            var runner = new ExperimentRunner(chosen, dataset, sets, folder, workerCount, intervals);
            var clock = Stopwatch.StartNew();
            var rows = runner.Run(parse.GetValue(reportOnly), cancellationToken);
            string commandLine = $"dotnet run -c Release --project src/CompactRnn.Cli -- experiment --preset {chosen.Name}"
                + (parse.GetValue(data) is null ? string.Empty : $" --data {dataPath}") + (parse.GetValue(maxEpochs) is { } overridden ? $" --max-epochs {overridden}" : string.Empty) + (toCommitted ? " --update-committed" : string.Empty);
            string notesPath = Path.Combine(folder, "notes.md");
            string? notes = File.Exists(notesPath) ? File.ReadAllText(notesPath) : null;
            IReadOnlyList<ScoredUtterance> Scores(string name) => runner.Store.Scores(name);
            IReadOnlyList<ScoredUtterance> TestScores(string name) => Scores(name).Where(s => s.Set == "test").ToList();
            var verdicts = BarVerdict.Evaluate(rows, chosen.Budgets, TestScores, intervals);
            SeedMeanVerdict? seedMean = SeedMeanVerdict.Evaluate(rows, chosen.Budgets[0], chosen.Seeds, TestScores, intervals);
            var summary = SummaryWriter.Write(new SummaryWriter.Inputs(chosen, commandLine, GitCommit(), dataset.Description, SetSizes(runner, sets),
                runner.Planner.DenseParameters, rows, verdicts, seedMean, runner.Searches, Scores, intervals.Description, parse.GetValue(reportOnly) ? null : clock.Elapsed, notes, runner.Recipe, runner.RateChoice));
            ResultsStore.WriteAtomically(Path.Combine(folder, "summary.md"), summary); // a reader never sees half a summary
            ExperimentPlots.WerVersusParameters(rows, Path.Combine(folder, "wer_vs_params.png"));
            ExperimentPlots.TrainingCurves(runner.Store.CurvesPath, rows, Path.Combine(folder, "training_curves.png"));
            ResultsTable.Print(rows);
            foreach (BarVerdict verdict in verdicts)
            {
                AnsiConsole.MarkupLineInterpolated($"- {verdict.Sentence()}");
            }

            if (seedMean is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"- {seedMean.Sentence()}");
            }

            AnsiConsole.MarkupLineInterpolated($"Wrote {folder}/results.csv, summary.md, wer_vs_params.png, training_curves.png in {clock.Elapsed:hh\\:mm\\:ss}.");
            return System.Threading.Tasks.Task.FromResult(0);
        });
        return command;
    }

    // The scoring library's speaker-block bootstrap.
    private static readonly IWerIntervals Bootstrap = new BootstrapIntervals();

    // The primary test split first, then any extra evaluation sets the data provides.
    private static IReadOnlyList<(string Name, SpeechSequenceDataset Data)> ScoredSets(SpeechDataset dataset)
        => [.. new[] { DatasetSplit.Test, DatasetSplit.TestAccent, DatasetSplit.CrossSynth }
            .Select(split => (Name: EvaluationSets.NameOf(split), Utterances: dataset.GetSplit(split)))
            .Where(set => set.Name == "test" || set.Utterances.Count > 0)
            .Select(set => (set.Name, new SpeechSequenceDataset(dataset, set.Utterances)))];

    private static IReadOnlyList<string> SetSizes(ExperimentRunner runner, IReadOnlyList<(string Name, SpeechSequenceDataset Data)> sets)
    {
        static string Describe(string name, SpeechSequenceDataset data)
        {
            var accents = data.Utterances.Select(u => u.Speaker.Split('+')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            return FormattableString.Invariant(
                $"{name}: {data.Count:N0} utterances, {data.Utterances.Sum(u => u.Words.Count):N0} words, {data.Utterances.Select(u => u.Speaker).Distinct(StringComparer.Ordinal).Count()} voices, {data.FrameCount / 360000.0:F2} h; accents {string.Join(", ", accents)}");
        }

        return [Describe("train", runner.Train), Describe("dev", runner.Dev), .. sets.Select(s => Describe(s.Name, s.Data))];
    }

    // The one command that makes a preset's default dataset when it is not committed (docs/speech-benchmark.md).
    private static string? GenerateCommand(ExperimentPreset preset)
        => preset.Name == ExperimentPreset.Full.Name
            ? $"dotnet run -c Release --project src/CompactRnn.CorpusGen -- generate --preset full --seed 1 --out {preset.DefaultData}"
            : null;

    internal static string GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse HEAD") { RedirectStandardOutput = true, RedirectStandardError = true });
            string? commit = git?.StandardOutput.ReadLine();
            git?.WaitForExit();
            return git?.ExitCode == 0 && commit is not null ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (git not found)";
        }
    }
}
