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
        (code, output) = CliRunner.Run("compress", "--model", model, "--to", "auto", "--budget", "0.5", "--search-utterances", "16", "--fit-utterances", "6",
            "--search-fit-iterations", "4", "--fit-iterations", "5", "--data", data, "--out", compressed);
        Assert.True(code == 0, output);
        Assert.Contains("Search: Toeplitz-like layers by the activation fit on 6 training utterances, 4 L-BFGS iterations per layer", output, StringComparison.Ordinal);
        Assert.Contains("hybrid t=1 r=8 k=", output, StringComparison.Ordinal);
        Assert.Contains("(activations fit)", output, StringComparison.Ordinal);
        Assert.Contains("Chosen on dev:", output, StringComparison.Ordinal);
        Assert.Contains("lowrank k=", output, StringComparison.Ordinal); // shared low-rank cannot fit: its dense 4h×40 input matrix alone exceeds half of this tiny model
        Assert.Contains("hybrid t=1", output, StringComparison.Ordinal);
        Assert.True(File.Exists(compressed));

        (code, output) = CliRunner.Run("compress", "--model", model, "--to", "auto", "--rank", "2", "--out", compressed);
        Assert.Equal(1, code);
        Assert.Contains("--to auto takes --budget", output, StringComparison.Ordinal);

        (code, output) = CliRunner.Run("compress", "--model", model, "--to", "auto", "--budget", "0.5", "--fit", "exact", "--data", data, "--out", compressed);
        Assert.Equal(1, code);
        Assert.Contains("--fit exact does not apply to --to auto", output, StringComparison.Ordinal);
    }
}
