using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace CompactRnn.Onnx.Graphs;

/// <summary>
/// A minimal Protocol Buffers encoder: varints, tags, fixed32 floats and length-delimited fields.
/// Enough to write an ONNX ModelProto by hand (no generated code, no protobuf dependency).
/// </summary>
/// <remarks>
/// Wire format: a field is <c>varint(field_number &lt;&lt; 3 | wire_type)</c> followed by its payload;
/// wire type 0 is a varint, 2 is length-delimited (varint length + bytes), 5 is 4 little-endian bytes.
/// Nested messages are written into their own writer first, so their length is known.
/// </remarks>
internal sealed class ProtobufWriter
{
    private const int VarintWire = 0;
    private const int LengthDelimitedWire = 2;
    private const int Fixed32Wire = 5;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>Bytes written so far.</summary>
    public int Length => _buffer.WrittenCount;

    /// <summary>Writes an int64/int32/enum field (negative values take ten bytes, as protobuf specifies).</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, VarintWire);
        WriteVarint(unchecked((ulong)value));
    }

    /// <summary>Writes a float field (fixed32, little-endian).</summary>
    public void WriteFloat(int field, float value)
    {
        WriteTag(field, Fixed32Wire);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    /// <summary>Writes a UTF-8 string field.</summary>
    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Writes a bytes field.</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, LengthDelimitedWire);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>Writes a nested message field from another writer.</summary>
    public void WriteMessage(int field, ProtobufWriter message)
        => WriteBytes(field, message._buffer.WrittenSpan);

    /// <summary>Writes a packed repeated int64 field.</summary>
    public void WritePackedInt64(int field, ReadOnlySpan<long> values)
    {
        var packed = new ProtobufWriter();
        foreach (long value in values)
        {
            packed.WriteVarint(unchecked((ulong)value));
        }

        WriteMessage(field, packed);
    }

    /// <summary>Writes floats as raw little-endian bytes (ONNX TensorProto.raw_data).</summary>
    public void WriteRawFloats(int field, ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("raw_data is little-endian; this writer only runs on little-endian machines.");
        }

        WriteBytes(field, MemoryMarshal.AsBytes(values));
    }

    /// <summary>The encoded bytes.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void WriteTag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        // Seven bits per byte, least significant group first; the high bit says "more follows".
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte((byte)value);
    }

    private void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }
}
