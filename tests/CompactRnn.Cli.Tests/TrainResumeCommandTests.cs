using System;
using System.IO;
using System.Linq;
using CompactRnn.Models;
using CompactRnn.Serialization;

namespace CompactRnn.Cli.Tests;

/// <summary><c>train --checkpoint/--stop-after/--resume</c>: an interrupted and resumed run writes the same model as a straight one.</summary>
public sealed class TrainResumeCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-resume-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Train_StoppedThenResumed_WritesTheSameModelBytesAsAStraightRun()
    {
        string data = CliRunner.RepositoryFile("data/digits-default.crds");
        string[] recipe = ["--epochs", "2", "--batch", "8", "--seed", "3", "--data", data];
        string[] network = ["--spec", "lowrank:k=4 x1", "--hidden", "8", "--projection", "0"];
        string Path(string name) => System.IO.Path.Combine(_directory, name);

        var (code, output) = CliRunner.Run(["train", .. network, .. recipe, "--out", Path("straight.crnn"), "--checkpoint", Path("straight.ckpt")]);
        Assert.True(code == 0, output);
        (code, output) = CliRunner.Run(["train", .. network, .. recipe, "--out", Path("partial.crnn"), "--checkpoint", Path("run.ckpt"), "--stop-after", "1"]);
        Assert.True(code == 0, output);
        Assert.Contains("--resume", output, StringComparison.Ordinal);
        (code, output) = CliRunner.Run(["train", .. recipe, "--resume", Path("run.ckpt"), "--out", Path("resumed.crnn")]);
        Assert.True(code == 0, output);

        float[] straight = LstmModel.Load(Path("straight.crnn")).Parameters.ToArray(), resumed = LstmModel.Load(Path("resumed.crnn")).Parameters.ToArray();
        Assert.Equal(straight.Select(BitConverter.SingleToInt32Bits), resumed.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Train_ResumeWithAnotherSeed_FailsInOneLineNamingTheOptions()
    {
        string data = CliRunner.RepositoryFile("data/digits-default.crds");
        string checkpoint = Path.Combine(_directory, "run.ckpt");
        var (code, output) = CliRunner.Run("train", "--spec", "dense x1", "--hidden", "4", "--projection", "0", "--epochs", "2", "--stop-after", "1", "--seed", "3",
            "--data", data, "--out", Path.Combine(_directory, "m.crnn"), "--checkpoint", checkpoint);
        Assert.True(code == 0, output);
        (code, output) = CliRunner.Run("train", "--epochs", "2", "--seed", "4", "--data", data, "--resume", checkpoint, "--out", Path.Combine(_directory, "r.crnn"));
        Assert.Equal(1, code);
        Assert.Contains("Cannot resume from", output, StringComparison.Ordinal);
        Assert.Contains("--seed", output, StringComparison.Ordinal);
        (code, output) = CliRunner.Run("train", "--spec", "dense x1", "--epochs", "2", "--data", data, "--resume", checkpoint, "--out", Path.Combine(_directory, "r.crnn"));
        Assert.Equal(1, code);
        Assert.Contains("leave out --spec", output, StringComparison.Ordinal);
    }
}
