using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using CompactRnn.Kernels;

namespace CompactRnn.Benchmarks.StreamBandwidth;

/// <summary>
/// Candidate variants of <see cref="PackedGemv"/>'s float32 loop for the A/B of <see cref="StreamBandwidthAb"/>: the
/// same layout and the same summation order per row (so the same bits), different ways of walking the stream.
/// </summary>
internal static unsafe class StreamBandwidthKernels
{
    /// <summary>The current loop plus a software prefetch of every line <paramref name="distance"/> floats ahead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Prefetched<TL, TV>(ref float w, ref float x, ref float y, int rows, int paddedColumns, nint distance, bool nonTemporal)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nint lanes = TL.Count;
        nint pair = 2 * lanes;
        nint group = paddedColumns / (2 * lanes) * 4 * pair;
        for (int row = 0; row < rows; row += 4)
        {
            TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero;
            TV t0 = TL.Zero, t1 = TL.Zero, t2 = TL.Zero, t3 = TL.Zero;
            nint at = 0;
            for (nint p = 0; p < paddedColumns; p += 2 * lanes)
            {
                // 4 pairs of 2L floats = 8·L floats per iteration; one prefetch per 64-byte line of it.
                byte* ahead = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref w, at + distance));
                for (int line = 0; line < 8 * lanes * 4; line += 64)
                {
                    if (nonTemporal)
                    {
                        Sse.PrefetchNonTemporal(ahead + line);
                    }
                    else
                    {
                        Sse.Prefetch0(ahead + line);
                    }
                }

                TV xLow = TL.Load(ref x, p), xHigh = TL.Load(ref x, p + lanes);
                TV low = TL.Load(ref w, at), high = TL.Load(ref w, at + lanes);
                s0 = TL.MultiplyAdd(low, xLow, s0);
                t0 = TL.MultiplyAdd(high, xHigh, t0);
                low = TL.Load(ref w, at + pair);
                high = TL.Load(ref w, at + pair + lanes);
                s1 = TL.MultiplyAdd(low, xLow, s1);
                t1 = TL.MultiplyAdd(high, xHigh, t1);
                low = TL.Load(ref w, at + (2 * pair));
                high = TL.Load(ref w, at + (2 * pair) + lanes);
                s2 = TL.MultiplyAdd(low, xLow, s2);
                t2 = TL.MultiplyAdd(high, xHigh, t2);
                low = TL.Load(ref w, at + (3 * pair));
                high = TL.Load(ref w, at + (3 * pair) + lanes);
                s3 = TL.MultiplyAdd(low, xLow, s3);
                t3 = TL.MultiplyAdd(high, xHigh, t3);
                at += 4 * pair;
            }

            PackedGemv.AddRowTotals<TL, TV>(ref y, row, rows, s0, t0, s1, t1, s2, t2, s3, t3);
            w = ref Unsafe.Add(ref w, group);
        }
    }

    /// <summary>
    /// Two row groups at once (16 accumulators): two sequential streams <c>group</c> floats apart instead of one.
    /// Each row still sums its blocks in order, so the bits are those of the current loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TwoGroups<TL, TV>(ref float w, ref float x, ref float y, int rows, int paddedColumns)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nint lanes = TL.Count;
        nint pair = 2 * lanes;
        nint group = paddedColumns / (2 * lanes) * 4 * pair;
        int row = 0;
        for (; row + 4 < rows; row += 8)
        {
            TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero;
            TV t0 = TL.Zero, t1 = TL.Zero, t2 = TL.Zero, t3 = TL.Zero;
            TV u0 = TL.Zero, u1 = TL.Zero, u2 = TL.Zero, u3 = TL.Zero;
            TV v0 = TL.Zero, v1 = TL.Zero, v2 = TL.Zero, v3 = TL.Zero;
            ref float w2 = ref Unsafe.Add(ref w, group);
            nint at = 0;
            for (nint p = 0; p < paddedColumns; p += 2 * lanes)
            {
                TV xLow = TL.Load(ref x, p), xHigh = TL.Load(ref x, p + lanes);
                s0 = TL.MultiplyAdd(TL.Load(ref w, at), xLow, s0);
                t0 = TL.MultiplyAdd(TL.Load(ref w, at + lanes), xHigh, t0);
                u0 = TL.MultiplyAdd(TL.Load(ref w2, at), xLow, u0);
                v0 = TL.MultiplyAdd(TL.Load(ref w2, at + lanes), xHigh, v0);
                s1 = TL.MultiplyAdd(TL.Load(ref w, at + pair), xLow, s1);
                t1 = TL.MultiplyAdd(TL.Load(ref w, at + pair + lanes), xHigh, t1);
                u1 = TL.MultiplyAdd(TL.Load(ref w2, at + pair), xLow, u1);
                v1 = TL.MultiplyAdd(TL.Load(ref w2, at + pair + lanes), xHigh, v1);
                s2 = TL.MultiplyAdd(TL.Load(ref w, at + (2 * pair)), xLow, s2);
                t2 = TL.MultiplyAdd(TL.Load(ref w, at + (2 * pair) + lanes), xHigh, t2);
                u2 = TL.MultiplyAdd(TL.Load(ref w2, at + (2 * pair)), xLow, u2);
                v2 = TL.MultiplyAdd(TL.Load(ref w2, at + (2 * pair) + lanes), xHigh, v2);
                s3 = TL.MultiplyAdd(TL.Load(ref w, at + (3 * pair)), xLow, s3);
                t3 = TL.MultiplyAdd(TL.Load(ref w, at + (3 * pair) + lanes), xHigh, t3);
                u3 = TL.MultiplyAdd(TL.Load(ref w2, at + (3 * pair)), xLow, u3);
                v3 = TL.MultiplyAdd(TL.Load(ref w2, at + (3 * pair) + lanes), xHigh, v3);
                at += 4 * pair;
            }

            PackedGemv.AddRowTotals<TL, TV>(ref y, row, rows, s0, t0, s1, t1, s2, t2, s3, t3);
            PackedGemv.AddRowTotals<TL, TV>(ref y, row + 4, rows, u0, v0, u1, v1, u2, v2, u3, v3);
            w = ref Unsafe.Add(ref w, 2 * group);
        }

        if (row < rows)
        {
            PackedGemv.MultiplyAdd<float, Float32Pairs>(TL.Count, ref w, ref x, ref Unsafe.Add(ref y, row), rows - row, paddedColumns);
        }
    }
}
