using System;
using System.IO;
using System.Linq;
using CompactRnn.Cli.Experiments;

namespace CompactRnn.Cli.Tests;

/// <summary>
/// A results folder resumes only the run that made it: the key covers the preset's settings and the dataset's bytes,
/// a mismatch stops with the differing line, and <c>--restart</c> discards the old run's artefacts but not the notes.
/// </summary>
public sealed class RunKeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-runkey-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Data(byte last)
    {
        string path = Path.Combine(_directory, $"data-{last}.crds");
        File.WriteAllBytes(path, [1, 2, 3, last]);
        return path;
    }

    [Fact]
    public void Compute_DependsOnDataBytesAndSettings()
    {
        string data = Data(4);
        string key = RunKey.Compute(ExperimentPreset.Quick, data, "set A");

        Assert.Equal(key, RunKey.Compute(ExperimentPreset.Quick, data, "set A"));
        Assert.NotEqual(key, RunKey.Compute(ExperimentPreset.Quick, Data(5), "set A"));
        Assert.NotEqual(key, RunKey.Compute(ExperimentPreset.Quick with { Recipe = ExperimentPreset.Quick.Recipe with { MaxEpochs = 1 } }, data, "set A"));
        Assert.NotEqual(key, RunKey.Compute(ExperimentPreset.Quick with { SearchFitIterations = 7 }, data, "set A"));
        Assert.Contains("budgets=0.25 0.2", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_SameKey_Resumes_OtherKey_StopsNamingTheLine()
    {
        string folder = Path.Combine(_directory, "run");
        string key = RunKey.Compute(ExperimentPreset.Quick, Data(4), "set A");
        RunKey.Prepare(folder, key, restart: false);
        File.WriteAllText(Path.Combine(folder, "search.csv"), "old search");

        RunKey.Prepare(folder, key, restart: false); // the same run: resumes

        string other = RunKey.Compute(ExperimentPreset.Quick, Data(5), "set A");
        var error = Assert.Throws<CliException>(() => RunKey.Prepare(folder, other, restart: false));
        Assert.Contains("data_sha256=", error.Message, StringComparison.Ordinal);
        Assert.Contains("--restart", error.Message, StringComparison.Ordinal);
        Assert.Equal("old search", File.ReadAllText(Path.Combine(folder, "search.csv"))); // nothing lost
        Assert.Equal(key, File.ReadAllText(Path.Combine(folder, RunKey.FileName)));
    }

    [Fact]
    public void Prepare_ResultsWithoutKey_Stops()
    {
        string folder = Path.Combine(_directory, "legacy");
        Directory.CreateDirectory(Path.Combine(folder, "models"));
        File.WriteAllText(Path.Combine(folder, "models", "dense.crnn"), "model");

        var error = Assert.Throws<CliException>(() => RunKey.Prepare(folder, RunKey.Compute(ExperimentPreset.Quick, Data(4), "set A"), restart: false));

        Assert.Contains("recorded no run-key.txt", error.Message, StringComparison.Ordinal);
        Assert.NotNull(RunKey.Mismatch(folder, "any"));
    }

    [Fact]
    public void Prepare_ResultsWithoutKey_Adopt_KeepsTheArtefactsAndWritesTheKey()
    {
        string folder = Path.Combine(_directory, "adopted");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "results.csv"), "old rows");
        string key = RunKey.Compute(ExperimentPreset.Full, Data(4), "set A");

        RunKey.Prepare(folder, key, restart: false, adopt: true);

        Assert.Equal("old rows", File.ReadAllText(Path.Combine(folder, "results.csv")));
        Assert.Equal(key, File.ReadAllText(Path.Combine(folder, RunKey.FileName)));
        Assert.Contains("dense-long 3", key, StringComparison.Ordinal); // the full preset's controls for every seed are in its key
        string other = RunKey.Compute(ExperimentPreset.Full, Data(5), "set A");
        Assert.Throws<CliException>(() => RunKey.Prepare(folder, other, restart: false, adopt: true)); // adopting never overrides a recorded key
    }

    [Fact]
    public void Prepare_Restart_DiscardsArtefactsKeepsNotesAndWritesTheNewKey()
    {
        string folder = Path.Combine(_directory, "restart");
        RunKey.Prepare(folder, RunKey.Compute(ExperimentPreset.Quick, Data(4), "set A"), restart: false);
        Directory.CreateDirectory(Path.Combine(folder, "models"));
        Directory.CreateDirectory(Path.Combine(folder, "scores"));
        foreach (string file in new[] { "results.csv", "curves.csv", "search.csv", "rate.csv", "notes.md", "models/dense.crnn", "scores/dense.tsv" })
        {
            File.WriteAllText(Path.Combine(folder, file), "x");
        }

        string key = RunKey.Compute(ExperimentPreset.Quick, Data(5), "set B");
        RunKey.Prepare(folder, key, restart: true);

        Assert.Equal(["notes.md", RunKey.FileName], [.. Array.ConvertAll(Directory.GetFiles(folder), f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)]);
        Assert.Empty(Directory.GetFiles(Path.Combine(folder, "models")));
        Assert.Empty(Directory.GetFiles(Path.Combine(folder, "scores")));
        Assert.Null(RunKey.Mismatch(folder, key));
    }
}
