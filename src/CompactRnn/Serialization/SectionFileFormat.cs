using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CompactRnn.Serialization;

/// <summary>
/// Layout, limits and header encoding of the sectioned container behind <see cref="ModelFile"/> and
/// <see cref="CheckpointFile"/>; the byte-level format is documented in <c>docs/model-format.md</c>.
/// </summary>
internal static class SectionFileFormat
{
    /// <summary>The format version this library writes and reads.</summary>
    public const uint Version = 1;

    /// <summary>Bytes of the fixed part: magic, version, header length, section count, kind-tag length.</summary>
    public const int FixedHeaderLength = 22;

    /// <summary>Bytes of the trailing CRC-32C.</summary>
    public const int ChecksumLength = 4;

    /// <summary>Largest header (fixed part, kind tag and section table) accepted.</summary>
    public const int MaxHeaderLength = 64 * 1024;

    /// <summary>Most sections in one file.</summary>
    public const int MaxSectionCount = 64;

    /// <summary>Longest kind tag in UTF-8 bytes.</summary>
    public const int MaxKindTagLength = 256;

    /// <summary>Longest section name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Largest byte section (64 MiB); callers apply tighter limits per section.</summary>
    public const long MaxByteSectionLength = 64L * 1024 * 1024;

    /// <summary>Largest float section: the longest float[] .NET can allocate.</summary>
    public static long MaxFloatSectionLength => Array.MaxLength;

    /// <summary>The eight magic bytes, ASCII <c>CRNNMODL</c>.</summary>
    public static ReadOnlySpan<byte> Magic => "CRNNMODL"u8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes the header for <paramref name="kindTag"/> and <paramref name="sections"/>, validating both.</summary>
    public static byte[] EncodeHeader(string kindTag, ReadOnlySpan<SectionDescriptor> sections)
    {
        ArgumentException.ThrowIfNullOrEmpty(kindTag);
        byte[] kind = StrictUtf8.GetBytes(kindTag);
        if (kind.Length > MaxKindTagLength)
        {
            throw new ArgumentException($"The kind tag is {kind.Length} UTF-8 bytes long; the limit is {MaxKindTagLength}.", nameof(kindTag));
        }

        if (sections.Length is < 1 or > MaxSectionCount)
        {
            throw new ArgumentOutOfRangeException(nameof(sections), sections.Length, $"A file holds 1 to {MaxSectionCount} sections.");
        }

        int length = FixedHeaderLength + kind.Length;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (SectionDescriptor section in sections)
        {
            RequireValidName(section.Name);
            if (!names.Add(section.Name))
            {
                throw new ArgumentException($"The section name '{section.Name}' is used twice.", nameof(sections));
            }

            if (section.Count < 0 || section.Count > MaxElementCount(section.Type))
            {
                throw new ArgumentOutOfRangeException(nameof(sections), section.Count, $"Section '{section.Name}' has {section.Count} elements; the limit is {MaxElementCount(section.Type)}.");
            }

            length += 1 + section.Name.Length + 1 + sizeof(long);
        }

        if (length > MaxHeaderLength)
        {
            throw new ArgumentException($"The header would be {length} bytes; the limit is {MaxHeaderLength}.", nameof(sections));
        }

        var header = new byte[length];
        Span<byte> span = header;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)sections.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], (ushort)kind.Length);
        kind.CopyTo(span[FixedHeaderLength..]);
        int offset = FixedHeaderLength + kind.Length;
        foreach (SectionDescriptor section in sections)
        {
            span[offset++] = (byte)section.Name.Length;
            offset += Encoding.ASCII.GetBytes(section.Name, span[offset..]);
            span[offset++] = (byte)section.Type;
            BinaryPrimitives.WriteInt64LittleEndian(span[offset..], section.Count);
            offset += sizeof(long);
        }

        return header;
    }

    /// <summary>
    /// Reads the header length from the fixed part after checking the magic and version; throws
    /// <see cref="InvalidDataException"/> naming <paramref name="path"/> on any mismatch.
    /// </summary>
    public static int ReadHeaderLength(ReadOnlySpan<byte> fixedPart, long fileLength, string path)
    {
        RequireMagic(fixedPart, path);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[8..]);
        if (version != Version)
        {
            throw Invalid(path, $"unsupported format version {version}; this library reads version {Version}");
        }

        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[12..]);
        if (headerLength < FixedHeaderLength || headerLength > MaxHeaderLength)
        {
            throw Invalid(path, $"header length {headerLength} is outside [{FixedHeaderLength}, {MaxHeaderLength}]");
        }

        if (headerLength + (long)ChecksumLength > fileLength)
        {
            throw Invalid(path, $"the file is truncated: the header alone needs {headerLength + ChecksumLength} bytes but the file has {fileLength}");
        }

        return (int)headerLength;
    }

    /// <summary>Throws unless <paramref name="start"/> begins with <see cref="Magic"/>.</summary>
    public static void RequireMagic(ReadOnlySpan<byte> start, string path)
    {
        if (!start.StartsWith(Magic))
        {
            throw Invalid(path, "bad magic: this is not a CompactRnn model or checkpoint file (expected the bytes 'CRNNMODL' at offset 0)");
        }
    }

    /// <summary>Parses and validates the whole header (fixed part included).</summary>
    public static (string KindTag, SectionDescriptor[] Sections) ParseHeader(ReadOnlySpan<byte> header, string path)
    {
        uint sectionCount = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        if (sectionCount is < 1 or > MaxSectionCount)
        {
            throw Invalid(path, $"section count {sectionCount} is outside [1, {MaxSectionCount}]");
        }

        int kindLength = BinaryPrimitives.ReadUInt16LittleEndian(header[20..]);
        if (kindLength is < 1 or > MaxKindTagLength || FixedHeaderLength + kindLength > header.Length)
        {
            throw Invalid(path, $"kind tag length {kindLength} is outside [1, {MaxKindTagLength}] or beyond the header");
        }

        string kindTag;
        try
        {
            kindTag = StrictUtf8.GetString(header.Slice(FixedHeaderLength, kindLength));
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(path, "the kind tag is not valid UTF-8");
        }

        var sections = new SectionDescriptor[sectionCount];
        var names = new HashSet<string>(StringComparer.Ordinal);
        int offset = FixedHeaderLength + kindLength;
        for (int i = 0; i < sections.Length; i++)
        {
            int nameLength = offset < header.Length ? header[offset] : -1;
            if (nameLength < 1 || offset + 1 + nameLength + 1 + sizeof(long) > header.Length)
            {
                throw Invalid(path, $"the section table is truncated or malformed at entry {i}");
            }

            string name = Encoding.ASCII.GetString(header.Slice(offset + 1, nameLength));
            if (!IsValidName(header.Slice(offset + 1, nameLength)) || !names.Add(name))
            {
                throw Invalid(path, $"section {i} has an invalid or repeated name");
            }

            offset += 1 + nameLength;
            var type = (SectionElementType)header[offset++];
            if (type is not (SectionElementType.Bytes or SectionElementType.Float32))
            {
                throw Invalid(path, $"section '{name}' has the unknown element type {(byte)type}");
            }

            long count = BinaryPrimitives.ReadInt64LittleEndian(header[offset..]);
            offset += sizeof(long);
            if (count < 0 || count > MaxElementCount(type))
            {
                throw Invalid(path, $"section '{name}' claims {count} elements; the limit is {MaxElementCount(type)}");
            }

            sections[i] = new SectionDescriptor(name, type, count);
        }

        if (offset != header.Length)
        {
            throw Invalid(path, $"the section table ends at byte {offset} but the header length is {header.Length}");
        }

        return (kindTag, sections);
    }

    /// <summary>The element limit of a section type.</summary>
    public static long MaxElementCount(SectionElementType type) =>
        type == SectionElementType.Float32 ? MaxFloatSectionLength : MaxByteSectionLength;

    /// <summary>An <see cref="InvalidDataException"/> whose message names the file and the problem.</summary>
    public static InvalidDataException Invalid(string path, string problem) => new($"Invalid CompactRnn file '{path}': {problem}.");

    private static void RequireValidName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is < 1 or > MaxNameLength || !IsValidName(name.AsSpan()))
        {
            throw new ArgumentException($"The section name '{name}' must be 1–{MaxNameLength} characters from a–z, 0–9, '.', '_', '-'.", nameof(name));
        }
    }

    private static bool IsValidName(ReadOnlySpan<byte> name)
    {
        foreach (byte b in name)
        {
            if (!IsNameCharacter((char)b))
            {
                return false;
            }
        }

        return name.Length <= MaxNameLength;
    }

    private static bool IsValidName(ReadOnlySpan<char> name)
    {
        foreach (char c in name)
        {
            if (!IsNameCharacter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-';
}
