using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CompactRnn.Kernels;

namespace CompactRnn.Training;

/// <summary>
/// <c>Σ xᵢ²</c> of a float span accumulated in double with one summation order on every machine: element
/// <c>i</c> of each block of 16 goes to double lane <c>i mod 16</c>, the 16 lanes are reduced by a fixed
/// pairwise tree, then the tail (fewer than 16 elements) is added in order. Written once over
/// <see cref="ILanes{TV}"/>: each width adds its <c>Count</c> floats' exact squares to the same positions in the
/// same order (<see cref="ILanes{TV}.AddWidenedSquares"/>), so every width (512, 256, 128 bits, scalar) returns the
/// same bits; they differ only in speed.
/// </summary>
internal static class SumOfSquaresKernel
{
    /// <summary>Block length and number of double lanes.</summary>
    public const int Lanes = 16;

    /// <summary>Blocks per chunk: 16 KiB of floats, which the narrower widths' lane groups re-read from the L1 cache.</summary>
    private const int ChunkBlocks = 256;

    /// <summary>Runs <see cref="Compute{TL, TV}"/> at the widest accelerated width.</summary>
    public static double Compute(ReadOnlySpan<float> values)
    {
        if (Lanes512.IsAccelerated)
        {
            return Compute<Lanes512, Vector512<float>>(values);
        }

        if (Lanes256.IsAccelerated)
        {
            return Compute<Lanes256, Vector256<float>>(values);
        }

        return Lanes128.IsAccelerated ? Compute<Lanes128, Vector128<float>>(values) : Compute<Lanes1, float>(values);
    }

    /// <summary>
    /// The sum at one width. The blocks are taken in chunks of <see cref="ChunkBlocks"/>; within a chunk each group of
    /// <c>TL.Count</c> lanes runs down the blocks in order (<see cref="ILanes{TV}.AddWidenedSquares"/>, accumulators in registers),
    /// so every lane still adds its blocks in increasing order.
    /// </summary>
    internal static double Compute<TL, TV>(ReadOnlySpan<float> values)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(Lanes % TL.Count == 0);
        Span<double> lanes = stackalloc double[Lanes];
        lanes.Clear();
        ref float start = ref MemoryMarshal.GetReference(values);
        ref double accumulators = ref MemoryMarshal.GetReference(lanes);
        int blocks = values.Length / Lanes;
        for (int first = 0; first < blocks; first += ChunkBlocks)
        {
            int count = Math.Min(ChunkBlocks, blocks - first);
            for (int lane = 0; lane < Lanes; lane += TL.Count)
            {
                TL.AddWidenedSquares(ref Unsafe.Add(ref start, (first * Lanes) + lane), Lanes, count, ref Unsafe.Add(ref accumulators, lane));
            }
        }

        return Finish(lanes, values[(blocks * Lanes)..]);
    }

    /// <summary>Pairwise tree over the 16 lanes (in place), then the tail in order.</summary>
    private static double Finish(Span<double> lanes, ReadOnlySpan<float> tail)
    {
        Debug.Assert(lanes.Length == Lanes && tail.Length < Lanes);
        for (int width = Lanes / 2; width >= 1; width /= 2)
        {
            for (int lane = 0; lane < width; lane++)
            {
                lanes[lane] += lanes[lane + width];
            }
        }

        double sum = lanes[0];
        foreach (float value in tail)
        {
            double x = value;
            sum += x * x;
        }

        return sum;
    }
}
