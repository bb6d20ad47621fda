using System;
using System.IO;
using CompactRnn.Serialization;

namespace CompactRnn.Tests.Serialization;

public sealed class SectionFileWriterTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Dispose_WithoutCommit_DeletesTemporaryFileAndKeepsExistingTarget()
    {
        string path = _directory.File("model.crnn");
        ModelFile.Write(path, "Kind", "{}"u8, [1f, 2f]);
        byte[] before = File.ReadAllBytes(path);

        using (var writer = new SectionFileWriter(path, "Kind", [new("parameters", SectionElementType.Float32, 3)]))
        {
            writer.WriteFloats([9f, 9f, 9f]);
        }

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void WriteFloats_LengthOtherThanDeclared_ThrowsAndLeavesNoFile()
    {
        string path = _directory.File("model.crnn");

        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            using var writer = new SectionFileWriter(path, "Kind", [new("parameters", SectionElementType.Float32, 3)]);
            writer.WriteFloats([1f, 2f]);
        });

        Assert.Contains("declared as 3 × Float32, but 2 × Float32 was written", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void Commit_BeforeAllSections_Throws()
    {
        string path = _directory.File("model.crnn");
        using var writer = new SectionFileWriter(path, "Kind", [new("a", SectionElementType.Bytes, 0), new("b", SectionElementType.Bytes, 0)]);
        writer.WriteBytes([]);

        Assert.Throws<InvalidOperationException>(writer.Commit);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("with space")]
    [InlineData("")]
    public void Constructor_InvalidSectionName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => new SectionFileWriter(_directory.File("x"), "Kind", [new(name, SectionElementType.Bytes, 0)]));
        Assert.Empty(Directory.GetFiles(_directory.Path));
    }
}
