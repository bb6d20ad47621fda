using System;
using System.Linq;
using System.Runtime.Intrinsics;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>
/// The byte operations of <see cref="ILanes{TV}"/> at every width against scalar references: the lane total of
/// <see cref="ILanes{TV}.MultiplyAddBytes"/> (<see cref="ILanes{TV}.SumInt32"/>, four at once) is the exact sum of the products (extremes 127·(±127) included, where a
/// saturating 16-bit pair sum would show), and <see cref="ILanes{TV}.PackBytes"/> keeps the order.
/// </summary>
public sealed class Int8LanesTests
{
    [Fact]
    public void MultiplyAddBytes_EveryWidth_AddsEveryProductExactly()
    {
        Check<Lanes512, Vector512<float>>();
        Check<Lanes256, Vector256<float>>();
        Check<Lanes128, Vector128<float>>();
        Check<Lanes1, float>();
    }

    [Fact]
    public void PackBytes_EveryWidth_KeepsTheOrder()
    {
        Pack<Lanes512, Vector512<float>>();
        Pack<Lanes256, Vector256<float>>();
        Pack<Lanes128, Vector128<float>>();
        Pack<Lanes1, float>();
    }

    private static void Check<TL, TV>()
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int bytes = 4 * TL.Count;
        var random = new Random(TL.Count);
        for (int trial = 0; trial < 50; trial++)
        {
            byte[] u = new byte[bytes];
            sbyte[] s = new sbyte[bytes];
            int expected = -12345;
            for (int k = 0; k < bytes; k++)
            {
                u[k] = trial == 0 ? (byte)127 : (byte)random.Next(128);
                s[k] = trial == 0 ? (sbyte)(k % 3 == 0 ? -127 : 127) : (sbyte)random.Next(-127, 128);
                expected += u[k] * s[k];
            }

            int[] addend = new int[TL.Count];
            addend[0] = -12345;
            TV result = TL.MultiplyAddBytes(AsLanes<TL, TV>(u), AsLanes<TL, TV>((byte[])(Array)s), AsLanes<TL, TV>(addend));
            int[] others = [.. Enumerable.Range(0, TL.Count).Select(k => (k * 1000) - trial)];
            Vector128<int> sums = TL.SumInt32(AsLanes<TL, TV>(others), result, AsLanes<TL, TV>(addend), AsLanes<TL, TV>(u));
            Assert.Equal(others.Sum(), sums[0]);
            Assert.Equal(expected, sums[1]);
            Assert.Equal(-12345, sums[2]);
            Assert.Equal((int)Enumerable.Range(0, TL.Count).Sum(k => (long)BitConverter.ToInt32(u, 4 * k)), sums[3]); // wraps like int32
        }
    }

    private static void Pack<TL, TV>()
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        float[] values = new float[4 * TL.Count];
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = (k * 37) % 256;
        }

        TV packed = TL.PackBytes(TL.Load(values, 0), TL.Load(values, TL.Count), TL.Load(values, 2 * TL.Count), TL.Load(values, 3 * TL.Count));
        float[] stored = new float[TL.Count];
        TL.Store(packed, stored, 0);
        byte[] bytes = new byte[values.Length];
        Buffer.BlockCopy(stored, 0, bytes, 0, bytes.Length);
        for (int k = 0; k < values.Length; k++)
        {
            Assert.Equal((byte)values[k], bytes[k]);
        }
    }

    private static TV AsLanes<TL, TV>(Array values)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        float[] lanes = new float[TL.Count];
        Buffer.BlockCopy(values, 0, lanes, 0, 4 * TL.Count);
        return TL.Load(ref lanes[0], 0);
    }
}
