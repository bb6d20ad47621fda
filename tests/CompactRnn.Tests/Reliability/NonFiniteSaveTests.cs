using System;
using System.Buffers.Binary;
using System.IO;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Tests.Serialization;

namespace CompactRnn.Tests.Reliability;

/// <summary>Issue #13 defect 4: no model or checkpoint with a NaN or ±∞ parameter is ever written, and a model file holding one (made elsewhere) is not loaded.</summary>
public class NonFiniteSaveTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void ModelFileWrite_NonFiniteParameter_RefusesAndLeavesNothing(float bad)
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("m.crnn");

        var error = Assert.Throws<ArgumentException>(() => ModelFile.Write(path, "Demo", "{}"u8, [1f, bad, 3f]));

        Assert.Equal("parameters", error.ParamName);
        Assert.Contains("parameter 1", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Load_ChecksumValidFileWithNaN_IsInvalidDataNamingTheParameter()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("m.crnn");
        var options = new LstmNetworkOptions { InputSize = 3, Layers = [new LstmLayerOptions { HiddenSize = 2 }], OutputSize = 2 };
        var network = new LstmNetwork(options);
        float[] parameters = new float[network.ParameterCount];
        parameters[5] = 12345.678f; // a marker to find in the file
        new LstmModel(network, parameters).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        int at = bytes.AsSpan().IndexOf(BitConverter.GetBytes(12345.678f));
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, at);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)));
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => LstmModel.Load(path));

        Assert.Contains("parameter 5 (", error.Message, StringComparison.Ordinal);
        Assert.Contains("[5]) is NaN", error.Message, StringComparison.Ordinal);
    }
}
