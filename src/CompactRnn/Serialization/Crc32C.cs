using System;
using System.Buffers.Binary;
using System.Numerics;

namespace CompactRnn.Serialization;

/// <summary>
/// CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78; initial value and final XOR
/// 0xFFFFFFFF), as used by iSCSI and ext4. Built on <see cref="BitOperations.Crc32C(uint, ulong)"/>, which
/// uses the SSE4.2 / ARMv8 CRC instructions where present and a table otherwise.
/// Check value: CRC-32C("123456789") = 0xE3069283.
/// </summary>
internal static class Crc32C
{
    /// <summary>The running state before any byte (the initial value).</summary>
    public const uint InitialState = 0xFFFFFFFFu;

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(InitialState, data));

    /// <summary>Feeds <paramref name="data"/> into the running state.</summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (int last = data.Length - sizeof(ulong); i <= last; i += sizeof(ulong))
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        }

        for (; i < data.Length; i++)
        {
            state = BitOperations.Crc32C(state, data[i]);
        }

        return state;
    }

    /// <summary>The CRC value of a running state (final XOR).</summary>
    public static uint Finish(uint state) => ~state;
}
