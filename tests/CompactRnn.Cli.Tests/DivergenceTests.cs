using System;
using System.IO;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Training;

namespace CompactRnn.Cli.Tests;

/// <summary>Issue #13 defect 4: <c>train --lr 3e38</c> must not save an all-NaN model and report success.</summary>
public sealed class DivergenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-cli-diverge-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Train_OverflowingLearningRate_ExitsNonZeroAndWritesNoModel()
    {
        string model = Path.Combine(_directory, "nan.crnn");

        var (code, output) = Train(model, keepLastGood: false);

        Assert.Equal(3, code);
        Assert.Contains("diverged", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Saved", output, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Train_OverflowingLearningRateWithKeepLastGood_SavesFiniteParametersAndSaysSo()
    {
        string model = Path.Combine(_directory, "last-good.crnn");

        var (code, output) = Train(model, keepLastGood: true);

        Assert.Equal(3, code);
        Assert.Contains("last good parameters", output, StringComparison.Ordinal);
        Assert.True(NonFiniteDetector.AreAllFinite(LstmModel.Load(model).Parameters));
    }

    private static (int Code, string Output) Train(string model, bool keepLastGood)
    {
        string data = CliRunner.RepositoryFile("data/digits-default.crds");
        string[] args = ["train", "--spec", "dense x1", "--hidden", "8", "--projection", "0", "--epochs", "1", "--lr", "3e38", "--data", data, "--out", model];
        return CliRunner.Run(keepLastGood ? [.. args, "--keep-last-good"] : args);
    }
}
