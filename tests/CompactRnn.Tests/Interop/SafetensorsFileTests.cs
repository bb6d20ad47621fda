using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CompactRnn.Interop;
using CompactRnn.Tests.Serialization;

namespace CompactRnn.Tests.Interop;

/// <summary>safetensors: exact round trips, the other float dtypes, and hostile headers rejected by name before anything is built.</summary>
public sealed class SafetensorsFileTests
{
    [Fact]
    public void WriteThenRead_IsBitExact_InOrder_WithMetadata()
    {
        using var folder = new TemporaryDirectory();
        string path = Path.Combine(folder.Path, "sd.safetensors");
        var random = new Random(5);
        var tensors = new Dictionary<string, PyTorchTensor>(StringComparer.Ordinal)
        {
            ["weight_ih_l0"] = new([8, 3], [.. Enumerable.Range(0, 24).Select(_ => (float)random.NextDouble() - 0.5f)]),
            ["a.scalar"] = new([1], [float.Epsilon]),
            ["empty"] = new([0, 4], []),
            ["bias"] = new([3], [-0f, 1e-38f, 3.4e38f]),
        };
        SafetensorsFile.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });

        StateDict read = SafetensorsFile.Read(path);
        Assert.Equal(tensors.Keys, read.Tensors.Keys);
        foreach (var (name, tensor) in tensors)
        {
            Assert.Equal(tensor.Shape, read.Tensors[name].Shape);
            Assert.Equal(tensor.Data.Select(BitConverter.SingleToInt32Bits), read.Tensors[name].Data.Select(BitConverter.SingleToInt32Bits));
        }

        Assert.Equal("pt", read.Metadata["format"]);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(0, BinaryPrimitives.ReadInt64LittleEndian(bytes) % 8); // the data starts 8-byte aligned
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void Read_ConvertsF16Bf16AndF64()
    {
        using var folder = new TemporaryDirectory();
        byte[] data = new byte[(2 * 2) + (2 * 2) + (2 * 8)];
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(0), (Half)1.5f);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(2), (Half)(-0.25f));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), (ushort)(BitConverter.SingleToInt32Bits(3.0f) >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), (ushort)(BitConverter.SingleToInt32Bits(-2.5f) >> 16));
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), 0.1);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(16), -7.0);
        string path = Hand(folder, """{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},"d":{"dtype":"F64","shape":[2,1],"data_offsets":[8,24]}}""", data);

        StateDict read = SafetensorsFile.Read(path);
        Assert.Equal([1.5f, -0.25f], read.Tensors["h"].Data);
        Assert.Equal([3.0f, -2.5f], read.Tensors["b"].Data);
        Assert.Equal([0.1f, -7f], read.Tensors["d"].Data);
        Assert.Equal([2, 1], read.Tensors["d"].Shape);
    }

    public static TheoryData<string, int, string> HostileHeaders => new()
    {
        { """{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", 8, "'w' has dtype 'I64'" },
        { """{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "'w' is F32 [3]" },
        { """{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "'w' has dimension 0" },
        { """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,800]}}""", 8, "'w' has data_offsets" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "cover 4 bytes of data but the file holds 8" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"v":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "starts at byte 0 of the data, expected 4" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "'w' starts at byte 4 of the data, expected 0" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "names 'w' twice" },
        { """{"w":{"dtype":"F32","shape":[65536,65536],"data_offsets":[0,8]}}""", 8, "'w' is larger than" },
        { """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"k":3}}""", 8, "'__metadata__' entry 'k'" },
        { """{"w":{"dtype":"F32","shape":[2]}}""", 8, "'w' needs" },
        { """[1, 2]""", 8, "not a JSON object" },
        { """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]""", 8, "not valid JSON" },
        { """{"w":{"dtype":"F32","shape":[[[[[2]]]]],"data_offsets":[0,8]}}""", 8, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public void HostileHeader_IsRejectedNamingTheProblem(string header, int dataBytes, string expected)
    {
        using var folder = new TemporaryDirectory();
        string path = Hand(folder, header, new byte[dataBytes]);
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(1L << 40)]
    [InlineData(100)]
    [InlineData(0)]
    public void HeaderLength_BeyondTheFileOrTheCap_IsRejectedBeforeAllocating(long length)
    {
        using var folder = new TemporaryDirectory();
        string path = Path.Combine(folder.Path, "bad.safetensors");
        byte[] bytes = new byte[8 + 16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, length);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
        Assert.Contains("header length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooShortFile_IsRejected()
    {
        using var folder = new TemporaryDirectory();
        string path = Path.Combine(folder.Path, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
    }

    internal static string Hand(TemporaryDirectory folder, string header, byte[] data)
    {
        string path = Path.Combine(folder.Path, "hand.safetensors");
        byte[] json = Encoding.UTF8.GetBytes(header);
        byte[] bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
