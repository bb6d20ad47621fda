using System;
using System.Buffers.Binary;

namespace CompactRnn.Speech.Data;

/// <summary>
/// The fixed 80-byte header of a <c>.crds</c> file (little-endian):
/// 0 magic "CRDS" · 4 u16 version · 6 u16 flags (bit 0: frame labels present) · 8 i32 feature dimension ·
/// 12 i32 utterance count · 16 i32 phone count · 20 i32 lexicon word count · 24 i32 sample rate ·
/// 28 i32 frame shift (samples) · 32 i64 payload length · 40 i64 body length · 48 SHA-256 (32 bytes): in version 2
/// of header bytes 0–47 followed by the payload, in version 1 of the payload only.
/// </summary>
internal readonly record struct DatasetHeader(
    int Version,
    int Flags,
    int Dimension,
    int UtteranceCount,
    int PhoneCount,
    int WordCount,
    int SampleRateField,
    int FrameShiftField,
    long PayloadLength,
    long BodyLength,
    byte[] Checksum)
{
    public const int SampleRate = 16000;
    public const int FrameShift = 160;

    /// <summary>The header bytes before the checksum, which version 2 hashes ahead of the payload.</summary>
    public const int HashedLength = 48;

    public static DatasetHeader Parse(ReadOnlySpan<byte> header) => new(
        BinaryPrimitives.ReadUInt16LittleEndian(header[4..]),
        BinaryPrimitives.ReadUInt16LittleEndian(header[6..]),
        BinaryPrimitives.ReadInt32LittleEndian(header[8..]),
        BinaryPrimitives.ReadInt32LittleEndian(header[12..]),
        BinaryPrimitives.ReadInt32LittleEndian(header[16..]),
        BinaryPrimitives.ReadInt32LittleEndian(header[20..]),
        BinaryPrimitives.ReadInt32LittleEndian(header[24..]),
        BinaryPrimitives.ReadInt32LittleEndian(header[28..]),
        BinaryPrimitives.ReadInt64LittleEndian(header[32..]),
        BinaryPrimitives.ReadInt64LittleEndian(header[40..]),
        header.Slice(48, 32).ToArray());

    public void WriteTo(Span<byte> destination)
    {
        "CRDS"u8.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)Version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)Flags);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], UtteranceCount);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], PhoneCount);
        BinaryPrimitives.WriteInt32LittleEndian(destination[20..], WordCount);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], SampleRateField);
        BinaryPrimitives.WriteInt32LittleEndian(destination[28..], FrameShiftField);
        BinaryPrimitives.WriteInt64LittleEndian(destination[32..], PayloadLength);
        BinaryPrimitives.WriteInt64LittleEndian(destination[40..], BodyLength);
        Checksum.CopyTo(destination[48..]);
    }
}
