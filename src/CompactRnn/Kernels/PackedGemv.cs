using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>
/// The streaming GEMV <c>y[i] += Σ_p W[i, p]·x[p]</c> over a matrix packed in groups of four rows and column blocks of
/// 2L (L float lanes): per group and block, the four rows' (low, high) pairs follow each other, so the whole matrix
/// is one sequential stream. One kernel for every storage (<see cref="IPackedPairs{TElement}"/>) and every vector
/// width (<see cref="IVectorOps{TVector}"/>, widest first).
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
                MultiplyAdd<TElement, TPairs, Vector512Ops, Vector512<float>>(ref w, ref x, ref y, rows, paddedColumns);
                break;
            case 8:
                MultiplyAdd<TElement, TPairs, Vector256Ops, Vector256<float>>(ref w, ref x, ref y, rows, paddedColumns);
                break;
            case 4:
                MultiplyAdd<TElement, TPairs, Vector128Ops, Vector128<float>>(ref w, ref x, ref y, rows, paddedColumns);
                break;
            default:
                MultiplyAdd<TElement, TPairs, ScalarOps, float>(ref w, ref x, ref y, rows, paddedColumns);
                break;
        }
    }

    /// <summary>
    /// One group of four rows at a time, with eight accumulators (the low and high halves of each row) so that
    /// enough independent fused multiply-adds are in flight to keep up with the weight stream.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAdd<TElement, TPairs, TOps, TVector>(ref TElement w, ref float x, ref float y, int rows, int paddedColumns)
        where TElement : unmanaged
        where TPairs : struct, IPackedPairs<TElement>
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        nint lanes = TOps.Count;
        nint pair = TPairs.PairLength(TOps.Count);
        nint group = paddedColumns / (2 * lanes) * 4 * pair;
        for (int row = 0; row < rows; row += 4)
        {
            TVector s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
            TVector t0 = TOps.Zero, t1 = TOps.Zero, t2 = TOps.Zero, t3 = TOps.Zero;
            nint at = 0;
            for (nint p = 0; p < paddedColumns; p += 2 * lanes)
            {
                TVector xLow = TOps.Load(ref x, p), xHigh = TOps.Load(ref x, p + lanes);
                TPairs.LoadPair<TOps, TVector>(ref w, at, out TVector low, out TVector high);
                s0 = TOps.MultiplyAdd(low, xLow, s0);
                t0 = TOps.MultiplyAdd(high, xHigh, t0);
                TPairs.LoadPair<TOps, TVector>(ref w, at + pair, out low, out high);
                s1 = TOps.MultiplyAdd(low, xLow, s1);
                t1 = TOps.MultiplyAdd(high, xHigh, t1);
                TPairs.LoadPair<TOps, TVector>(ref w, at + (2 * pair), out low, out high);
                s2 = TOps.MultiplyAdd(low, xLow, s2);
                t2 = TOps.MultiplyAdd(high, xHigh, t2);
                TPairs.LoadPair<TOps, TVector>(ref w, at + (3 * pair), out low, out high);
                s3 = TOps.MultiplyAdd(low, xLow, s3);
                t3 = TOps.MultiplyAdd(high, xHigh, t3);
                at += 4 * pair;
            }

            int valid = Math.Min(4, rows - row);
            ref float yRow = ref Unsafe.Add(ref y, row);
            yRow += TOps.Sum(TOps.Add(s0, t0));
            if (valid > 1)
            {
                Unsafe.Add(ref yRow, 1) += TOps.Sum(TOps.Add(s1, t1));
            }

            if (valid > 2)
            {
                Unsafe.Add(ref yRow, 2) += TOps.Sum(TOps.Add(s2, t2));
            }

            if (valid > 3)
            {
                Unsafe.Add(ref yRow, 3) += TOps.Sum(TOps.Add(s3, t3));
            }

            w = ref Unsafe.Add(ref w, group);
        }
    }
}
