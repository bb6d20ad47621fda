using System;
using System.IO;
using System.Text.RegularExpressions;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;

namespace CompactRnn.Cli.Tests;

/// <summary><c>info</c> prints the run-time bytes of every inference path, as the model and its sessions report them.</summary>
public sealed class InfoCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-info-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Info_PrintsRunTimeBytesOfEachPath()
    {
        var options = new LstmNetworkOptions
        {
            InputSize = 40,
            Layers = NetworkSpec.Parse("toeplitz:r=2 x1 | dense x1", new LstmLayerOptions { HiddenSize = 32, ProjectionSize = 16 }),
            OutputSize = 12,
        };
        string path = Path.Combine(_directory, "m.crnn");
        LstmModel model = LstmModel.CreateInitialized(options, seed: 1);
        model.Save(path);

        var (code, output) = CliRunner.Run("info", "--model", path);
        Assert.True(code == 0, output);
        string text = Regex.Replace(output, @"\s+", " ");
        Assert.Contains("run-time bytes", text, StringComparison.Ordinal);

        // The float32 row equals what a fresh session of the same model reports.
        StreamingSession session = LstmModel.Load(path).CreateSession();
        RuntimeMemory memory = session.Memory;
        string parameters = memory.ParameterBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        string total = memory.TotalBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches(@"streaming, float32 weights[^│]*│ *" + Regex.Escape(parameters) + @" *│.*│ *" + Regex.Escape(total) + " *│", output);
        Assert.Contains("streaming, int8 weights", output, StringComparison.Ordinal);
        Assert.Contains("batch (Infer, 32 × 100 frames)", output, StringComparison.Ordinal);
        long int8 = LstmModel.Load(path).WeightBytes(WeightPrecision.Int8);
        Assert.Contains($"int8 weights (dense matrices, and compact ones whose int8 dense form is smaller than their float32 parameters, int8 with float32 row scales; the rest float32): {int8.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes", text, StringComparison.Ordinal);
        Assert.True(int8 < 4L * model.Network.ParameterCount / 2, "int8 weights should be well under the float32 bytes of a mostly dense model");
    }
}
