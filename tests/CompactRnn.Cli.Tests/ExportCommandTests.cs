using System;
using System.IO;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Onnx;
using CompactRnn.Serialization;

namespace CompactRnn.Cli.Tests;

public sealed class ExportCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-cli-export-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Export_Onnx_WritesTheLibrarysExport()
    {
        string model = SavedModel();
        string onnx = Path.Combine(_directory, "m.onnx");

        var (code, output) = CliRunner.Run("export", "--model", model, "--onnx", onnx);

        Assert.True(code == 0, output);
        Assert.Equal(OnnxExporter.Export(LstmModel.Load(model)), File.ReadAllBytes(onnx));
        Assert.Contains("toeplitz:r=2", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-folder")]
    [InlineData("folder")]
    [InlineData("same-as-model")]
    public void Export_BadOnnxPath_OneLineNamingTheOption(string kind)
    {
        string model = SavedModel();
        string onnx = kind switch
        {
            "missing-folder" => Path.Combine(_directory, "nowhere", "m.onnx"),
            "folder" => _directory,
            _ => model,
        };

        var (code, output) = CliRunner.Run("export", "--model", model, "--onnx", onnx);

        Assert.Equal(1, code);
        Assert.StartsWith("error: --onnx", output.Trim(), StringComparison.Ordinal);
        Assert.Single(output.Trim().Split('\n'));
    }

    private string SavedModel()
    {
        var options = new LstmNetworkOptions
        {
            InputSize = 4,
            Layers = NetworkSpec.Parse("toeplitz:r=2 | shared-lowrank:k=3", new LstmLayerOptions { HiddenSize = 5, Peepholes = true }),
            OutputSize = 3,
        };
        string path = Path.Combine(_directory, "m.crnn");
        LstmModel.CreateInitialized(options, seed: 1).Save(path);
        return path;
    }
}
