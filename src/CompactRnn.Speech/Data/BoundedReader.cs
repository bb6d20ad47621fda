using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace CompactRnn.Speech.Data;

/// <summary>
/// Little-endian reader over an in-memory buffer that checks every length against the bytes left before
/// allocating, and reports malformed input as <see cref="InvalidDataException"/> with the offset.
/// </summary>
internal sealed class BoundedReader
{
    private readonly byte[] _buffer;
    private int _position;

    public BoundedReader(byte[] buffer)
    {
        _buffer = buffer;
    }

    public int Remaining => _buffer.Length - _position;

    public int Position => _position;

    public byte ReadByte() => Take(1)[0];

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    /// <summary>Reads a count and checks it lies in [0, max] and that count·minBytesEach bytes remain.</summary>
    public int ReadCount(string what, int max, int minBytesEach)
    {
        int count = ReadInt32();
        if (count < 0 || count > max || (long)count * minBytesEach > Remaining)
        {
            throw new InvalidDataException($"{what} count {count} at offset {_position - 4} is out of range (max {max}, {Remaining} bytes left).");
        }

        return count;
    }

    /// <summary>Reads an Int32 byte length and that many UTF-8 bytes.</summary>
    public string ReadString(string what)
    {
        int length = ReadCount(what + " length", 1 << 20, 1);
        return Encoding.UTF8.GetString(Take(length));
    }

    public byte[] ReadBytes(int count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw new InvalidDataException($"{what}: {count} bytes needed at offset {_position}, {Remaining} left.");
        }

        return Take(count).ToArray();
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new InvalidDataException($"Unexpected end of data at offset {_position} ({count} bytes needed, {Remaining} left).");
        }

        var span = new ReadOnlySpan<byte>(_buffer, _position, count);
        _position += count;
        return span;
    }
}
