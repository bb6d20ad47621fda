using System;
using System.IO;
using System.Text;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;

namespace CompactRnn.Tests.Serialization;

public sealed class LstmModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-model-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static LstmModel Model() => LstmModel.CreateInitialized(new LstmNetworkOptions
    {
        InputSize = 7,
        Layers = NetworkSpec.Parse("lowrank-pergate:k=2 x1 | shared-lowrank:k=3 x1",
            new LstmLayerOptions { HiddenSize = 6, Peepholes = true, CellClip = 4f, ProjectionClip = 2f, ForgetBias = 0.5f }),
        OutputSize = 4,
        OutputMode = OutputMode.LastFrame,
        Dropout = 0.25f,
    }, seed: 8);

    [Fact]
    public void SaveThenLoad_RoundTrip_IsExact()
    {
        LstmModel model = Model();
        string path = Path.Combine(_directory, "model.crnn");
        model.Save(path);
        LstmModel loaded = LstmModel.Load(path);
        Assert.Equal(model.Network.Options.InputSize, loaded.Network.Options.InputSize);
        Assert.Equal(NetworkSpec.Format(model.Network.Options.Layers), NetworkSpec.Format(loaded.Network.Options.Layers));
        Assert.Equal(model.Network.Options.Layers, loaded.Network.Options.Layers);
        Assert.Equal(model.Network.Options.OutputMode, loaded.Network.Options.OutputMode);
        Assert.Equal(model.Network.Options.Dropout, loaded.Network.Options.Dropout);
        Assert.True(model.Parameters.SequenceEqual(loaded.Parameters));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp*"));
    }

    [Fact]
    public void Load_FlippedByte_ThrowsChecksumError()
    {
        string path = Path.Combine(_directory, "model.crnn");
        Model().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => LstmModel.Load(path));
        Assert.Contains("checksum", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Load_TruncatedFile_ThrowsNamingThePath()
    {
        string path = Path.Combine(_directory, "model.crnn");
        Model().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 9).ToArray());
        var error = Assert.Throws<InvalidDataException>(() => LstmModel.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ParameterCountDisagreesWithConfiguration_Throws()
    {
        LstmModel model = Model();
        string path = Path.Combine(_directory, "model.crnn");
        ModelFile.Write(path, NetworkOptionsJson.KindTag, NetworkOptionsJson.Write(model.Network.Options), new float[model.Parameters.Length - 1]);
        var error = Assert.Throws<InvalidDataException>(() => LstmModel.Load(path));
        Assert.Contains("describes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "format")]
    [InlineData("not json", "Invalid model configuration")]
    [InlineData("{\"format\":\"compactrnn-lstm\",\"version\":3}", "version 3")]
    public void Load_BadConfiguration_ThrowsNamingTheProblem(string json, string expected)
    {
        string path = Path.Combine(_directory, "model.crnn");
        ModelFile.Write(path, NetworkOptionsJson.KindTag, Encoding.UTF8.GetBytes(json), new float[3]);
        var error = Assert.Throws<InvalidDataException>(() => LstmModel.Load(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HugeLayerSizeInConfiguration_IsRejectedBeforeAllocating()
    {
        string json = Encoding.UTF8.GetString(NetworkOptionsJson.Write(Model().Network.Options)).Replace("\"hiddenSize\":6", "\"hiddenSize\":2000000000", StringComparison.Ordinal);
        string path = Path.Combine(_directory, "model.crnn");
        ModelFile.Write(path, NetworkOptionsJson.KindTag, Encoding.UTF8.GetBytes(json), new float[3]);
        var error = Assert.Throws<InvalidDataException>(() => LstmModel.Load(path));
        Assert.Contains("hiddenSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_VersionIsTheLowestThatHoldsTheLayers()
    {
        // A file without a shared-lowrank layer is what version-1 writers wrote, byte for byte, so older readers read it.
        var defaults = new LstmLayerOptions { HiddenSize = 6 };
        LstmNetworkOptions Options(string spec) => new() { InputSize = 3, Layers = NetworkSpec.Parse(spec, defaults), OutputSize = 2 };
        Assert.Contains("\"version\":1,", Encoding.UTF8.GetString(NetworkOptionsJson.Write(Options("toeplitz:r=2/lowrank:k=2,p=3 x2"))), StringComparison.Ordinal);
        Assert.Contains("\"version\":2,", Encoding.UTF8.GetString(NetworkOptionsJson.Write(Options("toeplitz:r=2/shared-lowrank:k=3 x1"))), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_VersionOneFile_ReadsItsProjectionAsDense()
    {
        // A shared low-rank model saved before version 2 recorded its projection as dense: it still loads, as what the file says.
        LstmModel model = Model();
        string json = Encoding.UTF8.GetString(NetworkOptionsJson.Write(model.Network.Options))
            .Replace("\"version\":2", "\"version\":1", StringComparison.Ordinal)
            .Replace("\"shared-lowrank\",\"rank\":3", "\"dense\",\"rank\":0", StringComparison.Ordinal);
        string path = Path.Combine(_directory, "old.crnn");
        ModelFile.Write(path, NetworkOptionsJson.KindTag, Encoding.UTF8.GetBytes(json), model.Parameters);
        LstmModel loaded = LstmModel.Load(path);
        Assert.Equal("lowrank-pergate:k=2,h=6,p=0 x1 | dense:h=6,p=3 x1", NetworkSpec.Format(loaded.Network.Options.Layers));
        Assert.True(model.Parameters.SequenceEqual(loaded.Parameters));

        string mislabelled = json.Replace("\"dense\",\"rank\":0}}]", "\"shared-lowrank\",\"rank\":3}}]", StringComparison.Ordinal);
        Assert.NotEqual(json, mislabelled);
        ModelFile.Write(path, NetworkOptionsJson.KindTag, Encoding.UTF8.GetBytes(mislabelled), model.Parameters);
        Assert.Contains("version 2", Assert.Throws<InvalidDataException>(() => LstmModel.Load(path)).Message, StringComparison.Ordinal);
    }
}
