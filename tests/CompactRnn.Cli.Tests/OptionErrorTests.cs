using System;
using System.IO;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Speech.Data;

namespace CompactRnn.Cli.Tests;

/// <summary>
/// The CLI's rough edges: every user error is one line that starts with "error:" and names the option the user
/// typed, and output paths are checked before any work.
/// </summary>
public sealed class OptionErrorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-cli-options-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("--out", "missing-folder")]
    [InlineData("--out", "folder")]
    [InlineData("--lr", "0")]
    [InlineData("--lr", "NaN")]
    [InlineData("--threads", "3")]
    [InlineData("--chunk", "-1")]
    [InlineData("--projection", "-2")]
    public void Train_BadOption_OneLineNamingIt(string option, string value)
    {
        string output = Path.Combine(_directory, "m.crnn");
        string[] args = value switch
        {
            "missing-folder" => ["--out", Path.Combine(_directory, "absent", "m.crnn")],
            "folder" => ["--out", _directory],
            _ => ["--out", output, option, value],
        };

        var (code, text) = CliRunner.Run(["train", "--spec", "dense x1", "--epochs", "1", "--data", CliRunner.RepositoryFile("data/digits-default.crds"), .. args]);

        AssertOneLineError(code, text, option);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_directory)); // no temporary file either
    }

    [Fact]
    public void Compress_OutIsModel_RefusedAndInputUntouched()
    {
        string model = SavedModel();
        byte[] before = File.ReadAllBytes(model);

        var (code, text) = CliRunner.Run("compress", "--model", model, "--to", "lowrank", "--rank", "2", "--out", model);

        AssertOneLineError(code, text, "--out");
        Assert.Equal(before, File.ReadAllBytes(model));
    }

    [Fact]
    public void Compress_RankTheLibraryRejects_NamesRankNotTheLibraryParameter()
    {
        // The library throws naming its own parameter; the CLI names the option the user typed.
        var (code, text) = CliRunner.Run("compress", "--model", SavedModel(), "--to", "toeplitz", "--rank", "100000", "--out", Path.Combine(_directory, "c.crnn"));

        AssertOneLineError(code, text, "--rank");
    }

    [Theory]
    [InlineData("--rank", "0")]
    [InlineData("--tau", "2")]
    [InlineData("--budget", "1.5")]
    [InlineData("--lr", "-1")]
    [InlineData("--fine-tune-epochs", "-1")]
    public void Compress_BadOption_OneLineNamingIt(string option, string value)
    {
        string model = SavedModel();
        string[] rule = option is "--rank" or "--tau" or "--budget" ? [option, value] : ["--rank", "2", option, value];

        var (code, text) = CliRunner.Run(["compress", "--model", model, "--to", "lowrank", "--out", Path.Combine(_directory, "c.crnn"), .. rule]);

        AssertOneLineError(code, text, option);
    }

    [Fact]
    public void Compress_UnreachableBudget_FailsUnlessAllowOver()
    {
        string model = SavedModel();
        string compressed = Path.Combine(_directory, "c.crnn");

        var (code, text) = CliRunner.Run("compress", "--model", model, "--to", "lowrank", "--budget", "0.01", "--out", compressed);
        AssertOneLineError(code, text, "--budget");
        Assert.Contains("--allow-over", text, StringComparison.Ordinal);
        Assert.False(File.Exists(compressed));

        (code, text) = CliRunner.Run("compress", "--model", model, "--to", "lowrank", "--budget", "0.01", "--allow-over", "--out", compressed);
        Assert.True(code == 0, text);
        Assert.True(File.Exists(compressed));
        Assert.Contains("unreachable", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_FineTuning_PrintsOneLinePerEpoch_WithSeedAndRate()
    {
        string model = SavedModel();
        string compressed = Path.Combine(_directory, "c.crnn");

        var (code, text) = CliRunner.Run("compress", "--model", model, "--to", "lowrank", "--rank", "2", "--out", compressed,
            "--fine-tune-epochs", "2", "--seed", "3", "--lr", "0.001", "--data", CliRunner.RepositoryFile("data/digits-default.crds"));

        Assert.True(code == 0, text);
        Assert.Contains("fine-tuning epoch 1/2: train loss", text, StringComparison.Ordinal);
        Assert.Contains("fine-tuning epoch 2/2: train loss", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_NamesTheProgramCompactrnn()
    {
        var (code, text) = CliRunner.Run("--help");

        Assert.Equal(0, code);
        Assert.Contains("compactrnn [command] [options]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CompactRnn.Cli", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_SharedLowRank_ShownAsSuch_AndSizesInOneSenseOnly()
    {
        var options = new LstmNetworkOptions
        {
            InputSize = 4,
            Layers = NetworkSpec.Parse("toeplitz:r=2 | shared-lowrank:k=3", new LstmLayerOptions { HiddenSize = 6 }),
            OutputSize = 5,
        };
        string model = Path.Combine(_directory, "s.crnn");
        LstmModel.CreateInitialized(options, seed: 1).Save(model);

        var (code, text) = CliRunner.Run("info", "--model", model);

        Assert.True(code == 0, text);
        Assert.Contains("layer 0: 6 cells, W_x and W_r toeplitz:r=2, no projection", text, StringComparison.Ordinal);
        Assert.Contains("shared-lowrank:k=3 factor read by W_r and the output layer", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ratio", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("% of dense", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Experiment_ReportOnlyOnEmptyFolder_SaysSoAndLeavesNoFolder()
    {
        string folder = Path.Combine(_directory, "nothing-here");

        var (code, text) = CliRunner.Run("experiment", "--report-only", "--out", folder);

        AssertOneLineError(code, text, "--report-only");
        Assert.Contains("nothing to report", text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Experiment_RestartWithReportOnly_OneLineNamingBoth()
    {
        var (code, text) = CliRunner.Run("experiment", "--report-only", "--restart", "--out", _directory);

        AssertOneLineError(code, text, "--restart");
        Assert.Contains("--report-only", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Experiment_FullPresetWithoutItsData_PrintsTheCommandThatMakesIt()
    {
        if (Commands.CommonOptions.CanResolve("data/digits-full.crds"))
        {
            return; // generated on this machine: the message cannot appear
        }

        var (code, text) = CliRunner.Run("experiment", "--preset", "full", "--out", Path.Combine(_directory, "full"));

        AssertOneLineError(code, text, "--preset");
        Assert.Contains("dotnet run -c Release --project src/CompactRnn.CorpusGen -- generate --preset full --seed 1 --out data/digits-full.crds", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SweepProgress_CountsModelsAndEstimatesTheRest()
    {
        var progress = new Experiments.SweepProgress(total: 4, alreadyDone: 1);

        Assert.Equal("model 2 of 4", progress.Start());
        Assert.StartsWith("2 of 4 done, about ", progress.Finish(), StringComparison.Ordinal);
        Assert.Equal("model 3 of 4", progress.Start());
        progress.Finish();
        progress.Start();
        Assert.Equal("4 of 4 done, none left", progress.Finish());
    }

    private static void AssertOneLineError(int code, string text, string option)
    {
        Assert.Equal(1, code);
        string trimmed = text.Trim();
        Assert.True(trimmed.StartsWith($"error: {option}", StringComparison.Ordinal), trimmed);
        Assert.True(trimmed.Split('\n').Length == 1, trimmed);
        Assert.DoesNotContain("(Parameter '", trimmed, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", trimmed, StringComparison.Ordinal);
    }

    private string SavedModel()
    {
        SpeechDataset dataset = SpeechDataset.Load(CliRunner.RepositoryFile("data/digits-default.crds"));
        var options = new LstmNetworkOptions
        {
            InputSize = dataset.FeatureDimension,
            Layers = NetworkSpec.Parse("dense x2", new LstmLayerOptions { HiddenSize = 8, ProjectionSize = 0 }),
            OutputSize = dataset.ClassCount,
        };
        string path = Path.Combine(_directory, "m.crnn");
        LstmModel.CreateInitialized(options, seed: 1).Save(path);
        return path;
    }
}
