using System;
using System.IO;
using System.Linq;
using CompactRnn.Interop;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;

namespace CompactRnn.Cli.Tests;

public sealed class ImportCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-cli-import-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("dense x2", true)]
    [InlineData("toeplitz:r=2/lowrank:k=3 x1 | shared-lowrank:k=3 x1", false)]
    public void Import_ExportedSafetensors_GivesBackTheModel(string spec, bool nnLstm)
    {
        LstmModel model = LstmModel.CreateInitialized(new LstmNetworkOptions
        {
            InputSize = 5,
            Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = 6 }),
            OutputSize = 4,
        }, seed: 2);
        string tensors = Path.Combine(_directory, "m.safetensors");
        PyTorchLstmExporter.ExportFile(model, tensors, requireNnLstm: nnLstm);
        string output = Path.Combine(_directory, "m.crnn");

        var (code, text) = CliRunner.Run("import", "--from", tensors, "--out", output);

        Assert.True(code == 0, text);
        LstmModel imported = LstmModel.Load(output);
        Assert.True(model.Parameters.SequenceEqual(imported.Parameters));
        Assert.Equal(model.Network.Options.Layers, imported.Network.Options.Layers);
        Assert.Contains(NetworkSpec.Format(model.Network.Options), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_MissingOrBadInput_OneLineError()
    {
        string output = Path.Combine(_directory, "m.crnn");
        var (missing, missingText) = CliRunner.Run("import", "--from", Path.Combine(_directory, "none.safetensors"), "--out", output);
        Assert.Equal(1, missing);
        Assert.Contains("none.safetensors", missingText, StringComparison.Ordinal);

        string junk = Path.Combine(_directory, "junk.safetensors");
        File.WriteAllBytes(junk, [1, 2, 3]);
        var (bad, badText) = CliRunner.Run("import", "--from", junk, "--out", output);
        Assert.Equal(1, bad);
        Assert.Contains("junk.safetensors", badText, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
