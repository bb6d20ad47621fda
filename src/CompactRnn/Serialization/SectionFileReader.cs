using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace CompactRnn.Serialization;

/// <summary>
/// Opens and fully validates a sectioned file before any payload is allocated: magic, version, header
/// limits, section table, the exact file length implied by the table, and the CRC-32C (checked in a
/// streaming pass with a small buffer). Only then can sections be read, each into an array of exactly
/// its validated size. Every failure is an <see cref="InvalidDataException"/> that names the file.
/// </summary>
internal sealed class SectionFileReader : IDisposable
{
    private const int StreamBufferLength = 1 << 16;

    private readonly FileStream _stream;
    private readonly Dictionary<string, (SectionDescriptor Section, long Offset)> _index = new(StringComparer.Ordinal);

    private SectionFileReader(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    /// <summary>The path the file was opened from (used in messages).</summary>
    public string Path { get; }

    /// <summary>The kind tag stored in the header.</summary>
    public string KindTag { get; private set; } = string.Empty;

    /// <summary>The section table in file order.</summary>
    public IReadOnlyList<SectionDescriptor> Sections { get; private set; } = [];

    /// <summary>Opens <paramref name="path"/> and validates everything except the payload contents.</summary>
    public static SectionFileReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var reader = new SectionFileReader(path, stream);
        try
        {
            reader.Validate();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>true when the file has a section named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _index.ContainsKey(name);

    /// <summary>Reads a byte section, rejecting it when longer than <paramref name="maxLength"/>.</summary>
    public byte[] ReadBytes(string name, int maxLength)
    {
        (SectionDescriptor section, long offset) = Find(name, SectionElementType.Bytes);
        if (section.Count > maxLength)
        {
            throw SectionFileFormat.Invalid(Path, $"section '{name}' has {section.Count} bytes; the limit is {maxLength}");
        }

        var payload = new byte[section.Count];
        ReadAt(offset, payload);
        return payload;
    }

    /// <summary>Reads a float section (little-endian on disk).</summary>
    public float[] ReadFloats(string name)
    {
        (SectionDescriptor section, long offset) = Find(name, SectionElementType.Float32);
        var payload = new float[section.Count];
        ReadAt(offset, MemoryMarshal.AsBytes(payload.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> bits = MemoryMarshal.Cast<float, int>(payload.AsSpan());
            BinaryPrimitives.ReverseEndianness(bits, bits);
        }

        return payload;
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private void Validate()
    {
        long fileLength = _stream.Length;
        if (fileLength >= SectionFileFormat.Magic.Length)
        {
            Span<byte> magic = stackalloc byte[SectionFileFormat.Magic.Length];
            ReadAt(0, magic);
            SectionFileFormat.RequireMagic(magic, Path); // a foreign file is reported as such, even when short
        }

        if (fileLength < SectionFileFormat.FixedHeaderLength + SectionFileFormat.ChecksumLength)
        {
            throw SectionFileFormat.Invalid(Path, $"the file is truncated: {fileLength} bytes is shorter than the smallest valid file");
        }

        Span<byte> fixedPart = stackalloc byte[SectionFileFormat.FixedHeaderLength];
        ReadAt(0, fixedPart);
        int headerLength = SectionFileFormat.ReadHeaderLength(fixedPart, fileLength, Path);
        var header = new byte[headerLength];
        ReadAt(0, header);
        (string kindTag, SectionDescriptor[] sections) = SectionFileFormat.ParseHeader(header, Path);

        long expectedLength = headerLength + (long)SectionFileFormat.ChecksumLength;
        foreach (SectionDescriptor section in sections)
        {
            _index.Add(section.Name, (section, expectedLength - SectionFileFormat.ChecksumLength));
            expectedLength += section.ByteLength; // each ≤ 8 GiB and at most 64 sections: no overflow
        }

        if (fileLength < expectedLength)
        {
            throw SectionFileFormat.Invalid(Path, $"the file is truncated: the section table needs {expectedLength} bytes but the file has {fileLength}");
        }

        if (fileLength > expectedLength)
        {
            throw SectionFileFormat.Invalid(Path, $"the file has {fileLength - expectedLength} unexpected bytes beyond the {expectedLength} its section table describes");
        }

        VerifyChecksum(fileLength);
        KindTag = kindTag;
        Sections = sections;
    }

    private void VerifyChecksum(long fileLength)
    {
        long contentLength = fileLength - SectionFileFormat.ChecksumLength;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(StreamBufferLength);
        try
        {
            uint state = Crc32C.InitialState;
            _stream.Position = 0;
            for (long remaining = contentLength; remaining > 0;)
            {
                int chunk = (int)Math.Min(remaining, StreamBufferLength);
                ReadExactly(buffer.AsSpan(0, chunk));
                state = Crc32C.Append(state, buffer.AsSpan(0, chunk));
                remaining -= chunk;
            }

            Span<byte> stored = stackalloc byte[SectionFileFormat.ChecksumLength];
            ReadExactly(stored);
            uint expected = BinaryPrimitives.ReadUInt32LittleEndian(stored);
            uint actual = Crc32C.Finish(state);
            if (expected != actual)
            {
                throw SectionFileFormat.Invalid(Path, $"checksum mismatch (stored CRC-32C 0x{expected:X8}, computed 0x{actual:X8}): the file is corrupted");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private (SectionDescriptor Section, long Offset) Find(string name, SectionElementType type)
    {
        if (!_index.TryGetValue(name, out (SectionDescriptor Section, long Offset) entry))
        {
            throw SectionFileFormat.Invalid(Path, $"the file has no section '{name}' (it has: {string.Join(", ", _index.Keys)})");
        }

        if (entry.Section.Type != type)
        {
            throw SectionFileFormat.Invalid(Path, $"section '{name}' holds {entry.Section.Type}, expected {type}");
        }

        return entry;
    }

    private void ReadAt(long offset, Span<byte> destination)
    {
        _stream.Position = offset;
        ReadExactly(destination);
    }

    private void ReadExactly(Span<byte> destination)
    {
        try
        {
            _stream.ReadExactly(destination);
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException($"Invalid CompactRnn file '{Path}': the file ended early (was it truncated while being read?).", exception);
        }
    }
}
