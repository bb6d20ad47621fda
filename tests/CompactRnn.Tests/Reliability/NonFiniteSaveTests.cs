using System;
using System.IO;
using CompactRnn.Serialization;
using CompactRnn.Tests.Serialization;

namespace CompactRnn.Tests.Reliability;

/// <summary>Issue #13 defect 4: no model or checkpoint with a NaN or ±∞ parameter is ever written.</summary>
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
}
