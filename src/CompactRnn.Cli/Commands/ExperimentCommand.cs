using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using CompactRnn.Cli.Experiments;
using CompactRnn.Cli.Reporting;
using Spectre.Console;

namespace CompactRnn.Cli.Commands;

/// <summary><c>experiment</c>: dense vs every compact kind at matched budgets, scored by WER.</summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "quick (embedded data, small model, ~15 min) or full (≥ 10 h generated set, 3-layer LSTMP).", DefaultValueFactory = _ => "quick" };
        var data = new Option<string?>("--data") { Description = "Dataset file; default: the preset's." };
        var output = new Option<string?>("--out") { Description = "Results folder; default: results/<preset>." };
        var workers = new Option<int>("--workers") { Description = "Models trained at once (each on one core; results do not depend on it).", DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount) };
        var reportOnly = new Option<bool>("--report-only") { Description = "Train nothing: time the finished models and rewrite summary.md and the plots from them (e.g. after an interrupted sweep)." };
        var command = new Command("experiment", "Train the dense LSTMP and every compact kind at ≈50/25/20/12.5% of its parameters; report WER vs parameters.")
        {
            preset, data, output, workers, reportOnly,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            ExperimentPreset chosen = ExperimentPreset.Get(parse.GetValue(preset)!);
            string dataPath = parse.GetValue(data) ?? chosen.DefaultData;
            string folder = parse.GetValue(output) ?? Path.Combine("results", chosen.Name);
            int workerCount = parse.GetValue(workers);
            if (workerCount < 1)
            {
                throw new CliException($"--workers must be at least 1 (got {workerCount}).");
            }

            var dataset = CommonOptions.LoadDataset(dataPath);
            var runner = new ExperimentRunner(chosen, dataset, folder, workerCount);
            var clock = Stopwatch.StartNew();
            var rows = runner.Run(parse.GetValue(reportOnly), cancellationToken);
            string commandLine = $"dotnet run -c Release --project src/CompactRnn.Cli -- experiment --preset {chosen.Name}" + (parse.GetValue(data) is null ? string.Empty : $" --data {dataPath}");
            string notesPath = Path.Combine(folder, "notes.md");
            string? notes = File.Exists(notesPath) ? File.ReadAllText(notesPath) : null;
            TimeSpan? elapsed = parse.GetValue(reportOnly) ? null : clock.Elapsed;
            string summary = SummaryWriter.Write(chosen, commandLine, GitCommit(), dataset.Description, runner.Planner.DenseParameters, rows, elapsed, notes);
            string temporary = Path.Combine(folder, "summary.md.tmp");
            File.WriteAllText(temporary, summary);
            File.Move(temporary, Path.Combine(folder, "summary.md"), overwrite: true); // a reader never sees half a summary
            ExperimentPlots.WerVersusParameters(rows, Path.Combine(folder, "wer_vs_params.png"));
            ExperimentPlots.TrainingCurves(runner.Store.CurvesPath, rows, Path.Combine(folder, "training_curves.png"));
            ResultsTable.Print(rows);
            foreach (string line in SummaryWriter.Reading(rows))
            {
                AnsiConsole.MarkupLineInterpolated($"- {line}");
            }

            AnsiConsole.MarkupLineInterpolated($"Wrote {folder}/results.csv, summary.md, wer_vs_params.png, training_curves.png in {clock.Elapsed:hh\\:mm\\:ss}.");
            return System.Threading.Tasks.Task.FromResult(0);
        });
        return command;
    }

    private static string GitCommit()
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
