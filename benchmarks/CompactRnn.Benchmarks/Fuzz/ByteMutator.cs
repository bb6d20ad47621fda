using System;
using System.Buffers.Binary;

namespace CompactRnn.Benchmarks.Fuzz;

/// <summary>Random byte-level damage: bit flips, overwritten runs, hostile integers, truncation, extension, insertion and deletion.</summary>
internal static class ByteMutator
{
    /// <summary>Integers that sit on the edges of sizes and counts.</summary>
    public static readonly long[] HostileIntegers =
    [
        0, 1, -1, 2, 3, 7, 8, 255, 256, 4095, 4096, 65535, 65536, 1 << 18, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 1 << 24,
        int.MaxValue / 4, int.MaxValue / 2, int.MaxValue - 64, int.MaxValue, int.MinValue, uint.MaxValue, 1L << 32, 1L << 40, long.MaxValue, long.MinValue,
    ];

    /// <summary>Returns a damaged copy of <paramref name="data"/>, never touching bytes before <paramref name="keepPrefix"/> nor, unless <paramref name="resize"/>, changing the length.</summary>
    public static byte[] Mutate(byte[] data, Random random, int keepPrefix = 0, bool resize = true)
    {
        byte[] result = (byte[])data.Clone();
        int rounds = 1 + random.Next(random.Next(2) == 0 ? 2 : 8);
        for (int round = 0; round < rounds; round++)
        {
            int choice = random.Next(resize ? 9 : 5);
            int span = Math.Max(1, result.Length - keepPrefix);
            int at = keepPrefix + random.Next(span);
            switch (choice)
            {
                case 0: // one bit
                    if (at < result.Length)
                    {
                        result[at] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1: // a random byte
                    if (at < result.Length)
                    {
                        result[at] = (byte)random.Next(256);
                    }

                    break;
                case 2: // a run of random or constant bytes
                    {
                        int length = Math.Min(result.Length - at, 1 + random.Next(32));
                        byte fill = (byte)(random.Next(3) switch { 0 => 0, 1 => 0xFF, _ => random.Next(256) });
                        for (int i = 0; i < length; i++)
                        {
                            result[at + i] = random.Next(2) == 0 ? fill : (byte)random.Next(256);
                        }

                        break;
                    }

                case 3: // a hostile 32-bit integer
                    if (at + 4 <= result.Length)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(at), (int)HostileIntegers[random.Next(HostileIntegers.Length)]);
                    }

                    break;
                case 4: // a hostile 64-bit integer
                    if (at + 8 <= result.Length)
                    {
                        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(at), HostileIntegers[random.Next(HostileIntegers.Length)]);
                    }

                    break;
                case 5: // truncate
                    result = result[..Math.Max(keepPrefix, Math.Min(result.Length, at))];
                    break;
                case 6: // extend with random bytes
                    {
                        byte[] tail = new byte[1 + random.Next(random.Next(2) == 0 ? 16 : 4096)];
                        random.NextBytes(tail);
                        result = [.. result, .. tail];
                        break;
                    }

                case 7: // insert
                    {
                        byte[] inserted = new byte[1 + random.Next(16)];
                        random.NextBytes(inserted);
                        int position = Math.Min(at, result.Length);
                        result = [.. result.AsSpan(0, position), .. inserted, .. result.AsSpan(position)];
                        break;
                    }

                default: // delete
                    {
                        int position = Math.Min(at, result.Length);
                        int length = Math.Min(result.Length - position, 1 + random.Next(16));
                        result = [.. result.AsSpan(0, position), .. result.AsSpan(position + length)];
                        break;
                    }
            }
        }

        return result;
    }
}
