using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>
/// The streaming GEMV <c>y[i] += Σ_p W[i, p]·x[p]</c> over a matrix packed in groups of four rows and column blocks of
/// 2L (L float lanes): per group and block, the four rows' (low, high) pairs follow each other, so the whole matrix
/// is one sequential stream. One kernel for every storage (<see cref="IPackedPairs{TElement}"/>) and every vector
/// width (<see cref="ILanes{TV}"/>, widest first).
/// </summary>
internal static class PackedGemv
{
    /// <summary>The float lanes of the widest accelerated vector width.</summary>
    public static int WidestLanes()
        => Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 1;

    /// <summary>Runs the product at <paramref name="lanes"/> (16, 8, 4 or 1), the width the matrix was packed for.</summary>
    /// <param name="lanes">Float lanes of the packing.</param>
    /// <param name="w">The first packed element.</param>
    /// <param name="x">The first of <paramref name="paddedColumns"/> floats, zero past the real columns.</param>
    /// <param name="y">The first of <paramref name="rows"/> floats; added to.</param>
    /// <param name="rows">m.</param>
    /// <param name="paddedColumns">n rounded up to whole blocks of 2L.</param>
    public static void MultiplyAdd<TElement, TPairs>(int lanes, ref TElement w, ref float x, ref float y, int rows, int paddedColumns)
        where TElement : unmanaged
        where TPairs : struct, IPackedPairs<TElement>
    {
        switch (lanes)
        {
            case 16:
                MultiplyAdd<TElement, TPairs, Lanes512, Vector512<float>>(ref w, ref x, ref y, rows, paddedColumns);
                break;
            case 8:
                MultiplyAdd<TElement, TPairs, Lanes256, Vector256<float>>(ref w, ref x, ref y, rows, paddedColumns);
                break;
            case 4:
                MultiplyAdd<TElement, TPairs, Lanes128, Vector128<float>>(ref w, ref x, ref y, rows, paddedColumns);
                break;
            default:
                MultiplyAdd<TElement, TPairs, Lanes1, float>(ref w, ref x, ref y, rows, paddedColumns);
                break;
        }
    }

    /// <summary>
    /// One group of four rows at a time, with eight accumulators (the low and high halves of each row) so that
    /// enough independent fused multiply-adds are in flight to keep up with the weight stream.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAdd<TElement, TPairs, TL, TV>(ref TElement w, ref float x, ref float y, int rows, int paddedColumns)
        where TElement : unmanaged
        where TPairs : struct, IPackedPairs<TElement>
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nint lanes = TL.Count;
        nint pair = TPairs.PairLength(TL.Count);
        nint group = paddedColumns / (2 * lanes) * 4 * pair;
        for (int row = 0; row < rows; row += 4)
        {
            TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero;
            TV t0 = TL.Zero, t1 = TL.Zero, t2 = TL.Zero, t3 = TL.Zero;
            nint at = 0;
            for (nint p = 0; p < paddedColumns; p += 2 * lanes)
            {
                TV xLow = TL.Load(ref x, p), xHigh = TL.Load(ref x, p + lanes);
                TPairs.LoadPair<TL, TV>(ref w, at, out TV low, out TV high);
                s0 = TL.MultiplyAdd(low, xLow, s0);
                t0 = TL.MultiplyAdd(high, xHigh, t0);
                TPairs.LoadPair<TL, TV>(ref w, at + pair, out low, out high);
                s1 = TL.MultiplyAdd(low, xLow, s1);
                t1 = TL.MultiplyAdd(high, xHigh, t1);
                TPairs.LoadPair<TL, TV>(ref w, at + (2 * pair), out low, out high);
                s2 = TL.MultiplyAdd(low, xLow, s2);
                t2 = TL.MultiplyAdd(high, xHigh, t2);
                TPairs.LoadPair<TL, TV>(ref w, at + (3 * pair), out low, out high);
                s3 = TL.MultiplyAdd(low, xLow, s3);
                t3 = TL.MultiplyAdd(high, xHigh, t3);
                at += 4 * pair;
            }

            AddRowTotals<TL, TV>(ref y, row, rows, s0, t0, s1, t1, s2, t2, s3, t3);
            w = ref Unsafe.Add(ref w, group);
        }
    }

    /// <summary>
    /// y[row + k] += Σ lanes of (s_k + t_k) for the rows of a group of four that exist (the last group may be short).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddRowTotals<TL, TV>(ref float y, int row, int rows, TV s0, TV t0, TV s1, TV t1, TV s2, TV t2, TV s3, TV t3)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int valid = Math.Min(4, rows - row);
        ref float yRow = ref Unsafe.Add(ref y, row);
        yRow += TL.Sum(TL.Add(s0, t0));
        if (valid > 1)
        {
            Unsafe.Add(ref yRow, 1) += TL.Sum(TL.Add(s1, t1));
        }

        if (valid > 2)
        {
            Unsafe.Add(ref yRow, 2) += TL.Sum(TL.Add(s2, t2));
        }

        if (valid > 3)
        {
            Unsafe.Add(ref yRow, 3) += TL.Sum(TL.Add(s3, t3));
        }
    }
}
