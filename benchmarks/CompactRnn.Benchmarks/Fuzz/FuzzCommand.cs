using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace CompactRnn.Benchmarks.Fuzz;

/// <summary>
/// <c>fuzz [--models N] [--datasets N] [--imports N] [--seed S] [--out DIR]</c>: mutated and crafted model files,
/// datasets and state dicts, each read once under measurement (docs/model-format.md, "Fuzzing"). Prints a Markdown
/// summary (and writes it to DIR/summary.md); exit code 1 when any target has an outcome outside its documented ones,
/// a read that allocated more than 64 MiB beyond its file's length, or a read of a file under 10 MB slower than 1 s.
/// </summary>
internal static class FuzzCommand
{
    public static int Run(string[] args)
    {
        int models = 10_000, datasets = 10_000, imports = 5_000, seed = 13;
        string? output = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--models": models = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--datasets": datasets = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--imports": imports = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--out": output = args[i + 1]; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'; expected --models, --datasets, --imports, --seed or --out.", nameof(args));
            }
        }

        var clock = Stopwatch.StartNew();
        FuzzReport report = Fuzz(models, datasets, imports, seed);
        string command = $"dotnet run -c Release --project benchmarks/CompactRnn.Benchmarks -- fuzz --models {models} --datasets {datasets} --imports {imports} --seed {seed}";
        string summary = report.Markdown(command, clock.Elapsed);
        Console.WriteLine(summary);
        if (output is not null)
        {
            Directory.CreateDirectory(output);
            Serialization.DurableFile.WriteAllText(Path.Combine(output, "summary.md"), summary);
        }

        return report.MeetsTargets ? 0 : 1;
    }

    /// <summary>Runs the three targets with one seed each derived from <paramref name="seed"/>, in a temporary folder.</summary>
    public static FuzzReport Fuzz(int models, int datasets, int imports, int seed)
    {
        string directory = Path.Combine(Path.GetTempPath(), "compactrnn-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var modelFuzzer = new ModelFileFuzzer(directory);
            modelFuzzer.Run(models, new Random(seed));
            var datasetFuzzer = new DatasetFuzzer(directory);
            datasetFuzzer.Run(datasets, new Random(seed + 1));
            var importerFuzzer = new ImporterFuzzer(directory);
            importerFuzzer.Run(imports, new Random(seed + 2));
            return new FuzzReport(seed, [modelFuzzer.Tally, datasetFuzzer.Tally, importerFuzzer.Tally]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
