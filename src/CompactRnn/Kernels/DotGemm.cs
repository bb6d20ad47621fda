using System;
using System.Runtime.CompilerServices;

namespace CompactRnn.Kernels;

/// <summary>
/// Inner-product GEMM <c>C[i, j] += Σ_p A[i, p] · B[j, p]</c> for operands whose rows are both contiguous along p
/// (the forward shape <c>Y += X·Wᵀ</c>). Register tiles of 4 rows of A × 4 rows of B keep sixteen vector
/// accumulators over p and reduce them once per tile, so B is read straight from the caller's rows with no
/// transposing pack — the pack is what makes the packed path slow when M is a small batch.
/// </summary>
/// <remarks>
/// Blocking: KC-deep slices, and MC rows of A (in L2) swept by every 4-row group of B (in L1). Leftover rows
/// and columns go through <see cref="SmallGemm.DotRows{TL, TV}"/>. Each C entry receives one reduced
/// partial sum per slice, in increasing p; which kernel computes it depends only on M, K, its row and its column
/// modulo 4, so results are deterministic for a given width and unchanged when N is cut at a multiple of 4.
/// </remarks>
internal static class DotGemm
{
    /// <summary>Rows of A per register tile (the tile is TileRows × 4 rows of B).</summary>
    public const int TileRows = 4;

    /// <summary>KC: depth of a slice (4 rows of B · KC · 4 bytes = 8 KiB, in L1).</summary>
    public const int DepthBlock = 512;

    /// <summary>MC: rows of A per block (MC · KC · 4 bytes = 48 KiB, in L2 next to L1); a multiple of <see cref="TileRows"/>.</summary>
    public const int RowBlock = 24;

    /// <summary>C row-major with row length <paramref name="ldc"/>; A[i, p] = a[i·lda + p], B[j, p] = b[j·ldb + p].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<TL, TV>(int m, int n, int k, ref float a, nint lda, ref float b, nint ldb, ref float c, nint ldc)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int fullColumns = n - (n % 4);
        for (int pc = 0; pc < k; pc += DepthBlock)
        {
            int kc = Math.Min(DepthBlock, k - pc);
            for (int ic = 0; ic < m; ic += RowBlock)
            {
                int mc = Math.Min(RowBlock, m - ic);
                int fullRows = mc - (mc % TileRows);
                ref float aBlock = ref Unsafe.Add(ref a, (ic * lda) + pc);
                ref float cBlock = ref Unsafe.Add(ref c, ic * ldc);
                for (int j = 0; j < fullColumns; j += 4)
                {
                    ref float bGroup = ref Unsafe.Add(ref b, (j * ldb) + pc);
                    for (int i = 0; i < fullRows; i += TileRows)
                    {
                        Tile<TL, TV>(kc, ref Unsafe.Add(ref aBlock, i * lda), lda, ref bGroup, ldb, ref Unsafe.Add(ref cBlock, (i * ldc) + j), ldc);
                    }
                }

                if (fullRows < mc)
                {
                    SmallGemm.DotRows<TL, TV>(mc - fullRows, n, kc, ref Unsafe.Add(ref aBlock, fullRows * lda), lda,
                        ref Unsafe.Add(ref b, pc), ldb, ref Unsafe.Add(ref cBlock, fullRows * ldc), ldc);
                }

                if (fullColumns < n && fullRows > 0)
                {
                    SmallGemm.DotRows<TL, TV>(fullRows, n - fullColumns, kc, ref aBlock, lda,
                        ref Unsafe.Add(ref b, (fullColumns * ldb) + pc), ldb, ref Unsafe.Add(ref cBlock, fullColumns), ldc);
                }
            }
        }
    }

    /// <summary><c>C[r, q] += Σ_{p &lt; depth} A[r, p] · B[q, p]</c> for r, q &lt; 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TL, TV>(int depth, ref float a, nint lda, ref float b, nint ldb, ref float c, nint ldc)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nint w = TL.Count;
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float a2 = ref Unsafe.Add(ref a1, lda);
        ref float a3 = ref Unsafe.Add(ref a2, lda);
        ref float b1 = ref Unsafe.Add(ref b, ldb);
        ref float b2 = ref Unsafe.Add(ref b1, ldb);
        ref float b3 = ref Unsafe.Add(ref b2, ldb);
        TV s00 = TL.Zero, s01 = TL.Zero, s02 = TL.Zero, s03 = TL.Zero;
        TV s10 = TL.Zero, s11 = TL.Zero, s12 = TL.Zero, s13 = TL.Zero;
        TV s20 = TL.Zero, s21 = TL.Zero, s22 = TL.Zero, s23 = TL.Zero;
        TV s30 = TL.Zero, s31 = TL.Zero, s32 = TL.Zero, s33 = TL.Zero;
        nint p = 0;
        for (; p + w <= depth; p += w)
        {
            TV x0 = TL.Load(ref a, p), x1 = TL.Load(ref a1, p), x2 = TL.Load(ref a2, p), x3 = TL.Load(ref a3, p);
            TV y = TL.Load(ref b, p);
            s00 = TL.MultiplyAdd(x0, y, s00);
            s10 = TL.MultiplyAdd(x1, y, s10);
            s20 = TL.MultiplyAdd(x2, y, s20);
            s30 = TL.MultiplyAdd(x3, y, s30);
            y = TL.Load(ref b1, p);
            s01 = TL.MultiplyAdd(x0, y, s01);
            s11 = TL.MultiplyAdd(x1, y, s11);
            s21 = TL.MultiplyAdd(x2, y, s21);
            s31 = TL.MultiplyAdd(x3, y, s31);
            y = TL.Load(ref b2, p);
            s02 = TL.MultiplyAdd(x0, y, s02);
            s12 = TL.MultiplyAdd(x1, y, s12);
            s22 = TL.MultiplyAdd(x2, y, s22);
            s32 = TL.MultiplyAdd(x3, y, s32);
            y = TL.Load(ref b3, p);
            s03 = TL.MultiplyAdd(x0, y, s03);
            s13 = TL.MultiplyAdd(x1, y, s13);
            s23 = TL.MultiplyAdd(x2, y, s23);
            s33 = TL.MultiplyAdd(x3, y, s33);
        }

        int tail = depth - (int)p;
        AddRow(ref c, TL.Sum(s00), TL.Sum(s01), TL.Sum(s02), TL.Sum(s03), ref Unsafe.Add(ref a, p), ref b, ldb, p, tail);
        AddRow(ref Unsafe.Add(ref c, ldc), TL.Sum(s10), TL.Sum(s11), TL.Sum(s12), TL.Sum(s13), ref Unsafe.Add(ref a1, p), ref b, ldb, p, tail);
        AddRow(ref Unsafe.Add(ref c, 2 * ldc), TL.Sum(s20), TL.Sum(s21), TL.Sum(s22), TL.Sum(s23), ref Unsafe.Add(ref a2, p), ref b, ldb, p, tail);
        AddRow(ref Unsafe.Add(ref c, 3 * ldc), TL.Sum(s30), TL.Sum(s31), TL.Sum(s32), TL.Sum(s33), ref Unsafe.Add(ref a3, p), ref b, ldb, p, tail);
    }

    /// <summary>Finishes one tile row: the p-tail past the last whole vector, then <c>C[r, 0..3] += d</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ref float c, float d0, float d1, float d2, float d3, ref float aTail, ref float b, nint ldb, nint p, int tail)
    {
        ref float b0 = ref Unsafe.Add(ref b, p);
        for (int t = 0; t < tail; t++)
        {
            float x = Unsafe.Add(ref aTail, t);
            d0 += Unsafe.Add(ref b0, t) * x;
            d1 += Unsafe.Add(ref b0, ldb + t) * x;
            d2 += Unsafe.Add(ref b0, (2 * ldb) + t) * x;
            d3 += Unsafe.Add(ref b0, (3 * ldb) + t) * x;
        }

        c += d0;
        Unsafe.Add(ref c, 1) += d1;
        Unsafe.Add(ref c, 2) += d2;
        Unsafe.Add(ref c, 3) += d3;
    }
}
