using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using CompactRnn.Serialization;

namespace CompactRnn.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private const string Kind = "CompactRnn.Test";

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Read_AfterWrite_RoundTripsEveryBitIncludingSpecialFiniteValues()
    {
        string path = _directory.File("model.crnn");
        byte[] configuration = Encoding.UTF8.GetBytes("""{"layers":[{"kind":"toeplitz","r":8}],"name":"ünïcode"}""");
        float[] parameters = [.. RandomFloats(1001, seed: 3), -0f, float.Epsilon, float.MaxValue, float.MinValue, BitConverter.Int32BitsToSingle(0x00012345)];

        ModelFile.Write(path, Kind, configuration, parameters);
        ModelFileContents contents = ModelFile.Read(path);

        Assert.Equal(Kind, contents.KindTag);
        Assert.Equal(configuration, contents.Configuration);
        Assert.Equal(parameters.Select(BitConverter.SingleToInt32Bits), contents.Parameters.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Read_AfterWriteOfEmptyPayloads_RoundTrips()
    {
        string path = _directory.File("empty.crnn");

        ModelFile.Write(path, Kind, [], []);
        ModelFileContents contents = ModelFile.Read(path, Kind);

        Assert.Empty(contents.Configuration);
        Assert.Empty(contents.Parameters);
    }

    [Fact]
    public void Write_OverExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        string path = _directory.File("model.crnn");
        ModelFile.Write(path, Kind, "{}"u8, [1f, 2f]);

        ModelFile.Write(path, Kind, "{\"v\":2}"u8, [3f]);

        Assert.Equal([3f], ModelFile.Read(path).Parameters);
        Assert.Equal(["model.crnn"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_ConfigurationOverLimit_ThrowsNamingConfiguration()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ModelFile.Write(_directory.File("big.crnn"), Kind, new byte[ModelFile.MaxConfigurationLength + 1], [1f]));

        Assert.Equal("configuration", error.ParamName);
        Assert.Empty(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void Read_WithOtherExpectedKind_ThrowsNamingBothKinds()
    {
        string path = WriteSample();

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Read(path, "Other.Kind"));

        Assert.Contains($"holds a '{Kind}', expected a 'Other.Kind'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadMagic_Throws()
    {
        string path = WriteSample();
        Patch(path, bytes => bytes[0] = (byte)'X');

        AssertInvalid(path, "bad magic");
    }

    [Fact]
    public void Read_OtherFormatVersion_Throws()
    {
        string path = WriteSample();
        Patch(path, bytes => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 2));

        AssertInvalid(path, "unsupported format version 2; this library reads version 1");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(200)]
    public void Read_TruncatedPayload_Throws(int removedBytes)
    {
        string path = WriteSample();
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^removedBytes]);

        AssertInvalid(path, "the file is truncated");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(30)]
    public void Read_TruncatedInsideHeader_Throws(int keptBytes)
    {
        string path = WriteSample();
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..keptBytes]);

        AssertInvalid(path, "truncated");
    }

    [Fact]
    public void Read_ShortForeignFile_ReportsBadMagic()
    {
        string path = _directory.File("notes.txt");
        File.WriteAllText(path, "hello, world");

        AssertInvalid(path, "bad magic");
    }

    [Fact]
    public void Read_TrailingGarbage_Throws()
    {
        string path = WriteSample();
        File.AppendAllText(path, "junk");

        AssertInvalid(path, "4 unexpected bytes");
    }

    [Theory]
    [InlineData(5)]      // in the magic
    [InlineData(-100)]   // in the parameters
    [InlineData(-1)]     // in the checksum itself
    public void Read_FlippedByte_FailsValidation(int position)
    {
        string path = WriteSample();
        Patch(path, bytes => bytes[position >= 0 ? position : bytes.Length + position] ^= 0x10);

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.True(
            error.Message.Contains("checksum mismatch", StringComparison.Ordinal) || error.Message.Contains("bad magic", StringComparison.Ordinal),
            error.Message);
    }

    [Theory]
    [InlineData(-100)]
    [InlineData(-150)]
    public void Read_FlippedPayloadByte_ReportsChecksumMismatch(int position)
    {
        string path = WriteSample();
        Patch(path, bytes => bytes[bytes.Length + position] ^= 0x01);

        AssertInvalid(path, "checksum mismatch");
    }

    [Fact]
    public void Read_ParameterCountLargerThanFile_ThrowsBeforeAllocating()
    {
        string path = WriteSample();
        Patch(path, bytes => BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(ParameterCountOffset(bytes)), 500_000_000));

        AssertInvalid(path, "the file is truncated: the section table needs 2000000");
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(1L << 40)]
    public void Read_AbsurdParameterCount_ThrowsNamingTheLimit(long count)
    {
        string path = WriteSample();
        Patch(path, bytes => BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(ParameterCountOffset(bytes)), count));

        AssertInvalid(path, $"section 'parameters' claims {count} elements; the limit is {Array.MaxLength}");
    }

    [Fact]
    public void Read_AbsurdHeaderLength_Throws()
    {
        string path = WriteSample();
        Patch(path, bytes => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), uint.MaxValue));

        AssertInvalid(path, "header length 4294967295 is outside");
    }

    [Fact]
    public void Read_AbsurdSectionCount_Throws()
    {
        string path = WriteSample();
        Patch(path, bytes => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 1_000_000));

        AssertInvalid(path, "section count 1000000 is outside [1, 64]");
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => ModelFile.Read(_directory.File("absent.crnn")));
    }

    internal static float[] RandomFloats(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }

    internal static void Patch(string path, Action<byte[]> change)
    {
        byte[] bytes = File.ReadAllBytes(path);
        change(bytes);
        File.WriteAllBytes(path, bytes);
    }

    private static void AssertInvalid(string path, string expectedFragment)
    {
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The offset of the parameter count: after the name "parameters" and its element-type byte.</summary>
    private static int ParameterCountOffset(byte[] bytes)
    {
        int name = bytes.AsSpan().IndexOf("parameters"u8);
        Assert.True(name > 0);
        return name + "parameters".Length + 1;
    }

    private string WriteSample()
    {
        string path = _directory.File("sample.crnn");
        ModelFile.Write(path, Kind, "{\"hidden\":4}"u8, RandomFloats(100, seed: 1));
        return path;
    }
}
