using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;

namespace CompactRnn.Tests.Serialization;

public sealed class ModelAnnotationsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-annotations-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static LstmModel Model() => LstmModel.CreateInitialized(new LstmNetworkOptions
    {
        InputSize = 3,
        Layers = NetworkSpec.Parse("toeplitz:r=1/shared-lowrank:k=2 x1", new LstmLayerOptions { HiddenSize = 4 }),
        OutputSize = 2,
    }, seed: 3);

    [Fact]
    public void SaveThenRead_GivesBackTheAnnotations_AndTheModelLoads()
    {
        LstmModel model = Model();
        string path = Path.Combine(_directory, "m.crnn");
        var notes = new Dictionary<string, string> { ["speech.feature-normalization"] = "{\"mean\":[0.5]}", ["note"] = "ü ✓" };

        ModelAnnotations.Save(model, path, notes);

        Assert.Equal(notes.OrderBy(p => p.Key), ModelAnnotations.Read(path).OrderBy(p => p.Key));
        Assert.True(model.Parameters.SequenceEqual(LstmModel.Load(path).Parameters));
    }

    [Fact]
    public void NoAnnotations_WritesExactlyWhatSaveWrites()
    {
        LstmModel model = Model();
        string plain = Path.Combine(_directory, "plain.crnn"), annotated = Path.Combine(_directory, "empty.crnn");
        model.Save(plain);
        ModelAnnotations.Save(model, annotated, new Dictionary<string, string>());

        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(annotated));
        Assert.Empty(ModelAnnotations.Read(plain));
    }

    [Fact]
    public void MalformedSection_IsInvalidDataNamingThePath()
    {
        LstmModel model = Model();
        string path = Path.Combine(_directory, "bad.crnn");
        ModelFile.WriteAnnotated(path, NetworkOptionsJson.KindTag, NetworkOptionsJson.Write(model.Network.Options), model.Parameters, Encoding.UTF8.GetBytes("{\"a\":1}"));

        var error = Assert.Throws<InvalidDataException>(() => ModelAnnotations.Read(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("annotations", error.Message, StringComparison.Ordinal);
        Assert.True(model.Parameters.SequenceEqual(LstmModel.Load(path).Parameters)); // the model itself is fine
    }

    [Fact]
    public void BadNamesOrTooLarge_AreRejectedBeforeWriting()
    {
        LstmModel model = Model();
        string path = Path.Combine(_directory, "never.crnn");
        Assert.Throws<ArgumentException>(() => ModelAnnotations.Save(model, path, new Dictionary<string, string> { [""] = "x" }));
        Assert.Throws<ArgumentException>(() => ModelAnnotations.Save(model, path, new Dictionary<string, string> { ["big"] = new string('x', ModelAnnotations.MaxLength) }));
        Assert.False(File.Exists(path));
    }
}
