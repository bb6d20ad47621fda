using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using CompactRnn.Serialization;

namespace CompactRnn.Speech.Data;

/// <summary>
/// The <c>.crds</c> dataset file (format version 2, docs/dataset-format.md): an 80-byte little-endian
/// header (magic "CRDS", version, flags, dimensions, counts, sample rate, frame shift, payload and body
/// lengths, SHA-256 of the header fields and the payload) followed by the payload, the Brotli-compressed
/// body. Version 1 files (whose SHA-256 covers the payload only) are still read. Reading validates the
/// header, the file length and the checksum before allocating or decompressing anything, grows buffers
/// only as real bytes arrive (a lying length field cannot make it allocate), then parses the body with
/// bounds checks; every failure is an <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public static class SpeechDatasetFile
{
    /// <summary>Current format version: the SHA-256 covers the header fields too.</summary>
    public const int FormatVersion = 2;

    /// <summary>The previous version (SHA-256 of the payload only), still read.</summary>
    public const int LegacyFormatVersion = 1;

    /// <summary>Header length in bytes.</summary>
    public const int HeaderLength = 80;

    /// <summary>Largest payload (compressed body) a reader accepts: 1 GiB.</summary>
    public const long MaxPayloadLength = 1L << 30;

    /// <summary>Largest body a reader accepts: 2 GiB less 64 bytes, and at most 256 × the payload + 4 KiB.</summary>
    public const long MaxBodyLength = int.MaxValue - 64;

    private const int MaxDimension = 1024;
    private const int MaxUtterances = 10_000_000;
    private const int MaxWords = 100_000;
    private const int MaxFramesPerUtterance = 1_000_000;
    private const int FlagHasLabels = 1;
    private const int SlowCompressionLimit = 16 << 20;
    private const int FirstChunk = 1 << 20;
    private static ReadOnlySpan<byte> Magic => "CRDS"u8;

    /// <summary>Writes <paramref name="dataset"/> to <paramref name="path"/> durably and atomically (<see cref="DurableFile"/>).</summary>
    public static void Write(SpeechDataset dataset, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        DurableFile.WriteAllBytes(path, Serialize(dataset));
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

    /// <summary>
    /// Reads and validates a dataset from a stream positioned at the header. A seekable stream must end
    /// exactly after the payload; a non-seekable one is read only as far as the payload, in chunks, so a
    /// declared length larger than the data present costs no allocation.
    /// </summary>
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
        ValidateHeader(h);
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

        byte[] payload = ReadBounded(stream, h.PayloadLength, "payload");
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            if (h.Version >= 2)
            {
                sha.AppendData(header, 0, DatasetHeader.HashedLength);
            }

            sha.AppendData(payload);
            if (!sha.GetHashAndReset().AsSpan().SequenceEqual(h.Checksum))
            {
                throw new InvalidDataException(h.Version >= 2
                    ? "checksum mismatch: the header or the payload is corrupted."
                    : "checksum mismatch: the payload is corrupted.");
            }
        }

        byte[] body = Decompress(payload, h.BodyLength);
        return DatasetBodyReader.Parse(new BoundedReader(body), h, (h.Flags & FlagHasLabels) != 0, MaxFramesPerUtterance);
    }

    private static void ValidateHeader(DatasetHeader h)
    {
        if (h.Version is not (LegacyFormatVersion or FormatVersion))
        {
            throw new InvalidDataException($"unsupported format version {h.Version} (this reader supports {LegacyFormatVersion} and {FormatVersion}).");
        }

        if ((h.Flags & ~FlagHasLabels) != 0)
        {
            throw new InvalidDataException($"unknown flag bits 0x{h.Flags & ~FlagHasLabels:X4} (only bit 0, frame labels, is defined).");
        }

        // Version 1 did not protect these two fields, so they are informative there; version 2 does.
        if (h.Version >= 2 && (h.SampleRateField != DatasetHeader.SampleRate || h.FrameShiftField != DatasetHeader.FrameShift))
        {
            throw new InvalidDataException(
                $"sample rate {h.SampleRateField} Hz / frame shift {h.FrameShiftField} samples: this front end writes only {DatasetHeader.SampleRate} Hz / {DatasetHeader.FrameShift}.");
        }

        if (h.Dimension < 1 || h.Dimension > MaxDimension || h.UtteranceCount < 0 || h.UtteranceCount > MaxUtterances
            || h.PhoneCount < 0 || h.PhoneCount > SpeechDataset.MaxPhoneCount || h.WordCount < 0 || h.WordCount > MaxWords)
        {
            throw new InvalidDataException($"implausible header: dimension {h.Dimension}, {h.UtteranceCount} utterances, {h.PhoneCount} phones, {h.WordCount} words.");
        }

        // The body of a valid file compresses at most ~ 256:1; bound it before anything is read.
        if (h.PayloadLength <= 0 || h.PayloadLength > MaxPayloadLength || h.BodyLength <= 0
            || h.BodyLength > Math.Min(MaxBodyLength, (h.PayloadLength * 256) + 4096))
        {
            throw new InvalidDataException($"implausible lengths: payload {h.PayloadLength}, body {h.BodyLength}.");
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes, growing the buffer (doubling from 1 MiB) only as data
    /// arrives, so the allocation is at most twice what the source really holds.
    /// </summary>
    private static byte[] ReadBounded(Stream source, long length, string what)
    {
        var buffer = new byte[Math.Min(length, FirstChunk)];
        long filled = 0;
        while (true)
        {
            int read = source.Read(buffer, (int)filled, buffer.Length - (int)filled);
            filled += read;
            if (filled == length)
            {
                return buffer;
            }

            if (read == 0)
            {
                throw new InvalidDataException($"truncated: {what} has {filled} of the declared {length} bytes.");
            }

            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
            }
        }
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
            DatasetHeader.SampleRate,
            DatasetHeader.FrameShift,
            payload.Length,
            body.Length,
            new byte[SHA256.HashSizeInBytes]);
        var file = new byte[HeaderLength + payload.Length];
        header.WriteTo(file);
        payload.CopyTo(file, HeaderLength);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(file, 0, DatasetHeader.HashedLength);
        sha.AppendData(payload);
        sha.GetHashAndReset().CopyTo(file, DatasetHeader.HashedLength);
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

    private static byte[] Decompress(byte[] payload, long bodyLength)
    {
        try
        {
            using var brotli = new BrotliStream(new MemoryStream(payload), CompressionMode.Decompress);
            byte[] body = ReadBounded(brotli, bodyLength, "body");
            if (brotli.ReadByte() != -1)
            {
                throw new InvalidDataException($"the body decompresses to more than the declared {bodyLength} bytes.");
            }

            return body;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException && e is not InvalidDataException)
        {
            throw new InvalidDataException($"payload does not decompress: {e.Message}", e);
        }
    }
}
