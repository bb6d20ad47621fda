using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using CompactRnn.Speech.Data;

namespace CompactRnn.Speech.Tests.Fixtures;

/// <summary>
/// Builds hostile-but-checksummed <c>.crds</c> files: takes a valid file apart (header fields, decompressed
/// body) and puts edited parts back together with a correct SHA-256, as an attacker could.
/// </summary>
internal static class DatasetFileCrafter
{
    public const int PayloadLengthOffset = 32;
    public const int BodyLengthOffset = 40;

    /// <summary>The decompressed body of a valid file.</summary>
    public static byte[] Body(byte[] file)
    {
        using var brotli = new BrotliStream(new MemoryStream(file, SpeechDatasetFile.HeaderLength, file.Length - SpeechDatasetFile.HeaderLength), CompressionMode.Decompress);
        using var body = new MemoryStream();
        brotli.CopyTo(body);
        return body.ToArray();
    }

    /// <summary>A file with <paramref name="header"/>'s fields, the given payload, consistent lengths and a valid checksum.</summary>
    public static byte[] WithPayload(byte[] header, byte[] payload, long bodyLength, int version = SpeechDatasetFile.FormatVersion)
    {
        var file = new byte[SpeechDatasetFile.HeaderLength + payload.Length];
        header.AsSpan(0, SpeechDatasetFile.HeaderLength).CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), (ushort)version);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(PayloadLengthOffset), payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(BodyLengthOffset), bodyLength);
        payload.CopyTo(file, SpeechDatasetFile.HeaderLength);
        Rehash(file, version);
        return file;
    }

    /// <summary>A file with <paramref name="header"/>'s fields and <paramref name="body"/> compressed, checksummed as <paramref name="version"/>.</summary>
    public static byte[] WithBody(byte[] header, byte[] body, int version = SpeechDatasetFile.FormatVersion)
    {
        var payload = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
        Assert.True(BrotliEncoder.TryCompress(body, payload, out int written, quality: 1, window: 22));
        return WithPayload(header, payload.AsSpan(0, written).ToArray(), body.Length, version);
    }

    /// <summary>Recomputes the checksum after an edit (version 2: header fields and payload; version 1: payload).</summary>
    public static void Rehash(byte[] file, int version = SpeechDatasetFile.FormatVersion)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (version >= 2)
        {
            sha.AppendData(file, 0, 48);
        }

        sha.AppendData(file, SpeechDatasetFile.HeaderLength, file.Length - SpeechDatasetFile.HeaderLength);
        sha.GetHashAndReset().CopyTo(file, 48);
    }

    /// <summary>Index of the first occurrence of <paramref name="pattern"/>; fails the test when absent.</summary>
    public static int Find(byte[] data, ReadOnlySpan<byte> pattern)
    {
        int index = data.AsSpan().IndexOf(pattern);
        Assert.True(index >= 0, "pattern not found in the body");
        return index;
    }
}
