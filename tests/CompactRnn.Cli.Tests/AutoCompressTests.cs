using System;
using System.IO;

namespace CompactRnn.Cli.Tests;

public sealed class AutoCompressTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-auto-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void CompressAuto_RanksTheCandidatesOnDevAndSavesTheBest()
    {
        string data = CliRunner.RepositoryFile("data/digits-default.crds");
        string model = Path.Combine(_directory, "dense.crnn");
        var (code, output) = CliRunner.Run("train", "--spec", "dense x2", "--hidden", "16", "--projection", "8", "--epochs", "1", "--data", data, "--out", model);
        Assert.True(code == 0, output);

        string compressed = Path.Combine(_directory, "auto.crnn");
        (code, output) = CliRunner.Run("compress", "--model", model, "--to", "auto", "--budget", "0.5", "--search-utterances", "16", "--data", data, "--out", compressed);
        Assert.True(code == 0, output);
        Assert.Contains("Chosen on dev:", output, StringComparison.Ordinal);
        Assert.Contains("lowrank k=", output, StringComparison.Ordinal); // shared low-rank cannot fit: its dense 4h×40 input matrix alone exceeds half of this tiny model
        Assert.Contains("hybrid t=1", output, StringComparison.Ordinal);
        Assert.True(File.Exists(compressed));

        (code, output) = CliRunner.Run("compress", "--model", model, "--to", "auto", "--rank", "2", "--out", compressed);
        Assert.Equal(1, code);
        Assert.Contains("--to auto takes --budget", output, StringComparison.Ordinal);
    }
}
