using System;
using System.IO;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Speech.Data;

namespace CompactRnn.Cli.Tests;

/// <summary><c>compress --fit svd|exact|activations</c> and <c>--report-dev</c>.</summary>
public sealed class CompressFitTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-fit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("lowrank", "exact")]
    [InlineData("hybrid", "bogus")]
    [InlineData("toeplitz", "SVD")]
    public void Fit_WrongKindOrName_OneLineNamingIt(string to, string fit)
    {
        string output = Path.Combine(_directory, "c.crnn");
        var (code, text) = CliRunner.Run("compress", "--model", SavedModel(), "--to", to, "--rank", "2", "--displacement-rank", "2", "--fit", fit, "--out", output);
        AssertOneLineError(code, text, "--fit");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void FitExact_DisplacementRankOne_OneLineNamingTheFit()
    {
        var (code, text) = CliRunner.Run("compress", "--model", SavedModel(), "--to", "hybrid", "--rank", "2", "--displacement-rank", "1", "--fit", "exact",
            "--out", Path.Combine(_directory, "c.crnn"));
        AssertOneLineError(code, text, "--fit exact");
    }

    [Fact]
    public void FitActivations_Hybrid_FitsReportsDevAndSaves()
    {
        string output = Path.Combine(_directory, "c.crnn");
        var (code, text) = CliRunner.Run("compress", "--model", SavedModel(), "--to", "hybrid", "--rank", "3", "--displacement-rank", "2", "--fit", "activations",
            "--fit-utterances", "6", "--fit-iterations", "5", "--report-dev", "--data", CliRunner.RepositoryFile("data/digits-default.crds"), "--out", output);
        Assert.True(code == 0, text);
        Assert.Contains("activation fit on 6 training utterances, layers.0: starts W_x", text, StringComparison.Ordinal);
        Assert.Contains("dev (compressed, before fine-tuning): loss ", text, StringComparison.Ordinal);
        Assert.Equal("toeplitz", LstmModelFile.Load(output).Network.Layers[0].InputMatrix.Kind);
    }

    private static void AssertOneLineError(int code, string text, string option)
    {
        Assert.Equal(1, code);
        string trimmed = text.Trim();
        Assert.True(trimmed.StartsWith($"error: {option}", StringComparison.Ordinal), trimmed);
        Assert.True(trimmed.Split('\n').Length == 1, trimmed);
        Assert.DoesNotContain("(Parameter '", trimmed, StringComparison.Ordinal);
    }

    private string SavedModel()
    {
        SpeechDataset dataset = SpeechDataset.Load(CliRunner.RepositoryFile("data/digits-default.crds"));
        var options = new LstmNetworkOptions
        {
            InputSize = dataset.FeatureDimension,
            Layers = NetworkSpec.Parse("dense x2", new LstmLayerOptions { HiddenSize = 8, ProjectionSize = 4 }),
            OutputSize = dataset.ClassCount,
        };
        string path = Path.Combine(_directory, "m.crnn");
        LstmModel.CreateInitialized(options, seed: 1).Save(path);
        return path;
    }
}
