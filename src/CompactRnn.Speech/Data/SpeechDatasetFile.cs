using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;

namespace CompactRnn.Speech.Data;

/// <summary>
/// The <c>.crds</c> dataset file (format version 1, docs/dataset-format.md): an 80-byte little-endian
/// header (magic "CRDS", version, flags, dimensions, counts, payload and body lengths, SHA-256 of the
/// payload) followed by the payload, the Brotli-compressed body. Reading validates the header, the file
/// length and the checksum before allocating or decompressing anything, then parses the body with bounds
/// checks; every failure is an <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public static class SpeechDatasetFile
{
    /// <summary>Current format version.</summary>
    public const int FormatVersion = 1;

    /// <summary>Header length in bytes.</summary>
    public const int HeaderLength = 80;

    private const int MaxDimension = 1024;
    private const int MaxUtterances = 10_000_000;
    private const int MaxWords = 100_000;
    private const int MaxFramesPerUtterance = 1_000_000;
    private const int FlagHasLabels = 1;
    private const int SlowCompressionLimit = 16 << 20;
    private static ReadOnlySpan<byte> Magic => "CRDS"u8;

    /// <summary>Writes <paramref name="dataset"/> to <paramref name="path"/> atomically (temporary file, then move).</summary>
    public static void Write(SpeechDataset dataset, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] file = Serialize(dataset);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? ".";
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, file);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Reads and validates a dataset file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid dataset (message says why).</exception>
    public static SpeechDataset Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>Reads and validates a dataset from a seekable stream positioned at the header.</summary>
    public static SpeechDataset Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[HeaderLength];
        int got = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        if (got < 4 || !header.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a CompactRnn speech dataset (bad magic; expected \"CRDS\").");
        }

        if (got < HeaderLength)
        {
            throw new InvalidDataException($"truncated header ({got} of {HeaderLength} bytes).");
        }

        DatasetHeader h = DatasetHeader.Parse(header);
        if (h.Version != FormatVersion)
        {
            throw new InvalidDataException($"unsupported format version {h.Version} (this reader supports {FormatVersion}).");
        }

        if (h.Dimension < 1 || h.Dimension > MaxDimension || h.UtteranceCount < 0 || h.UtteranceCount > MaxUtterances
            || h.PhoneCount < 0 || h.PhoneCount > SpeechDataset.MaxPhoneCount || h.WordCount < 0 || h.WordCount > MaxWords)
        {
            throw new InvalidDataException($"implausible header: dimension {h.Dimension}, {h.UtteranceCount} utterances, {h.PhoneCount} phones, {h.WordCount} words.");
        }

        if (stream.CanSeek)
        {
            long available = stream.Length - stream.Position;
            if (h.PayloadLength != available)
            {
                throw new InvalidDataException(h.PayloadLength > available
                    ? $"truncated: header declares a {h.PayloadLength}-byte payload, {available} bytes present."
                    : $"{available - h.PayloadLength} unexpected bytes after the {h.PayloadLength}-byte payload.");
            }
        }

        // The body of a valid file compresses at most ~ 256:1; bound it before allocating.
        if (h.PayloadLength <= 0 || h.PayloadLength > int.MaxValue || h.BodyLength <= 0 || h.BodyLength > Math.Min(int.MaxValue - 64, (h.PayloadLength * 256) + 4096))
        {
            throw new InvalidDataException($"implausible lengths: payload {h.PayloadLength}, body {h.BodyLength}.");
        }

        var payload = new byte[h.PayloadLength];
        int read = stream.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false);
        if (read != payload.Length)
        {
            throw new InvalidDataException($"truncated: payload has {read} of {payload.Length} bytes.");
        }

        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(h.Checksum))
        {
            throw new InvalidDataException("checksum mismatch: the payload is corrupted.");
        }

        byte[] body = Decompress(payload, (int)h.BodyLength);
        return DatasetBodyReader.Parse(new BoundedReader(body), h, (h.Flags & FlagHasLabels) != 0, MaxFramesPerUtterance);
    }

    internal static byte[] Serialize(SpeechDataset dataset)
    {
        byte[] body = DatasetBodyWriter.Write(dataset);
        byte[] payload = Compress(body);
        var header = new DatasetHeader(
            FormatVersion,
            dataset.HasFrameLabels ? FlagHasLabels : 0,
            dataset.FeatureDimension,
            dataset.Utterances.Count,
            dataset.Phones.Count,
            dataset.Lexicon.Count,
            payload.Length,
            body.Length,
            SHA256.HashData(payload));
        var file = new byte[HeaderLength + payload.Length];
        header.WriteTo(file);
        payload.CopyTo(file, HeaderLength);
        return file;
    }

    private static byte[] Compress(byte[] body)
    {
        // Quality 11 (16 MB window) is the smallest but compresses only ~0.5 MB/s: worth it for the committed
        // default set, not for the full one, which uses the fast quality 5. The choice depends only on the
        // body length, so output stays deterministic.
        int quality = body.Length <= SlowCompressionLimit ? 11 : 5;
        var destination = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
        if (!BrotliEncoder.TryCompress(body, destination, out int written, quality, window: 24))
        {
            throw new InvalidOperationException("Brotli compression failed.");
        }

        return destination.AsSpan(0, written).ToArray();
    }

    private static byte[] Decompress(byte[] payload, int bodyLength)
    {
        var body = new byte[bodyLength];
        try
        {
            using var brotli = new BrotliStream(new MemoryStream(payload), CompressionMode.Decompress);
            int read = brotli.ReadAtLeast(body, bodyLength, throwOnEndOfStream: false);
            if (read != bodyLength || brotli.ReadByte() != -1)
            {
                throw new InvalidDataException($"body length differs from the declared {bodyLength} bytes.");
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException && e is not InvalidDataException)
        {
            throw new InvalidDataException($"payload does not decompress: {e.Message}", e);
        }

        return body;
    }
}
