using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CompactRnn.Serialization;

/// <summary>
/// Writes a sectioned file atomically through a <see cref="DurableFileTransaction"/>: the header and the
/// payloads go to a temporary file in the target's directory, <see cref="Commit"/> appends the CRC-32C,
/// flushes to disk, renames the temporary file over the target and syncs the directory. Disposing without
/// a commit deletes the temporary file, so a crash or an exception never leaves a half-written target, and
/// the next write of the same target removes temporaries that a killed process left behind.
/// </summary>
internal sealed class SectionFileWriter : IDisposable
{
    private const int ConversionChunk = 16 * 1024;

    private readonly SectionDescriptor[] _sections;
    private DurableFileTransaction? _file;
    private uint _crcState = Crc32C.InitialState;
    private int _nextSection;

    /// <summary>Validates the table, creates the temporary file and writes the header.</summary>
    public SectionFileWriter(string path, string kindTag, ReadOnlySpan<SectionDescriptor> sections)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] header = SectionFileFormat.EncodeHeader(kindTag, sections);
        _sections = sections.ToArray();
        _file = new DurableFileTransaction(path);
        try
        {
            Append(header);
        }
        catch
        {
            Dispose(); // the caller never gets the writer, so clean up the temporary file here
            throw;
        }
    }

    /// <summary>Writes the payload of the next section, which must be a byte section of this length.</summary>
    public void WriteBytes(ReadOnlySpan<byte> payload)
    {
        NextSection(SectionElementType.Bytes, payload.Length);
        Append(payload);
    }

    /// <summary>Writes the payload of the next section, which must be a float section of this length.</summary>
    public void WriteFloats(ReadOnlySpan<float> payload)
    {
        NextSection(SectionElementType.Float32, payload.Length);
        if (BitConverter.IsLittleEndian)
        {
            Append(MemoryMarshal.AsBytes(payload));
            return;
        }

        Span<byte> chunk = stackalloc byte[ConversionChunk];
        for (int start = 0; start < payload.Length; start += ConversionChunk / sizeof(float))
        {
            int count = Math.Min(ConversionChunk / sizeof(float), payload.Length - start);
            for (int i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(chunk[(i * sizeof(float))..], payload[start + i]);
            }

            Append(chunk[..(count * sizeof(float))]);
        }
    }

    /// <summary>Appends the checksum, flushes to disk and moves the file into place.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_file is null, this);
        if (_nextSection != _sections.Length)
        {
            throw new InvalidOperationException($"Only {_nextSection} of {_sections.Length} sections were written.");
        }

        Span<byte> checksum = stackalloc byte[SectionFileFormat.ChecksumLength];
        BinaryPrimitives.WriteUInt32LittleEndian(checksum, Crc32C.Finish(_crcState));
        _file.Stream.Write(checksum);
        _file.Commit();
        _file.Dispose();
        _file = null;
    }

    /// <summary>Closes the file; deletes the temporary file unless <see cref="Commit"/> succeeded.</summary>
    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    private void NextSection(SectionElementType type, long count)
    {
        ObjectDisposedException.ThrowIf(_file is null, this);
        if (_nextSection >= _sections.Length)
        {
            throw new InvalidOperationException($"All {_sections.Length} sections are already written.");
        }

        SectionDescriptor expected = _sections[_nextSection];
        if (expected.Type != type || expected.Count != count)
        {
            throw new InvalidOperationException($"Section '{expected.Name}' was declared as {expected.Count} × {expected.Type}, but {count} × {type} was written.");
        }

        _nextSection++;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        _crcState = Crc32C.Append(_crcState, bytes);
        _file!.Stream.Write(bytes);
    }
}
