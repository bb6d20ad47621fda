using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompactRnn.Kernels;

/// <summary>
/// Cache-blocked, packed GEMM <c>C[M, N] += A[M, K] · B[K, N]</c> with strided operand views, after Goto and
/// van de Geijn (2008) and the BLIS loop nest: for each NC-wide column block and KC-deep slice, B̂ (KC×NC,
/// sized for L3) is packed once and reused by every row block; each MC-tall row block of A (MC×KC, sized for
/// L2) is swept by all B̂ micro-panels, each of which (KC×NR) stays in L1 while the MR×NR register tiles of
/// <see cref="GemmMicroKernel"/> stream A through it — packed into Â micro-panels, or read in place where that
/// measured faster (see <see cref="DirectAColumnLimit"/>).
/// </summary>
/// <remarks>
/// Each C entry is updated once per KC slice, in increasing p, by the same micro-kernel code regardless of
/// its position, so results do not depend on where a tile falls (ragged tiles run through a zero-padded
/// scratch tile). Results differ from other vector widths only in the last bits (different summation order).
/// </remarks>
internal static class PackedGemm
{
    /// <summary>KC: depth of a packed slice (B̂ micro-panel KC·NR·4 bytes = 32 KiB at NR = 32, within L1).</summary>
    public const int DepthBlock = 256;

    /// <summary>MC: rows of a packed Â block (MC·KC·4 bytes = 144 KiB, within L2); a multiple of both MRs (6 and 8).</summary>
    public const int RowBlock = 144;

    /// <summary>
    /// Largest N for which a column-major A (the <c>Aᵀ·B</c> shape) is read in place instead of packed: each Â panel
    /// serves only ⌈N/NR⌉ tiles, too few to repay the copy. A row-major A is always read in place: its MR row streams
    /// (one cache line each per 16 steps of p) feed the kernel as well as a packed panel does, measured. A ragged last
    /// row panel is still packed, zero-padded.
    /// </summary>
    public const int DirectAColumnLimit = 256;

    /// <summary>NC: columns of a packed B̂ block (KC·NC·4 bytes = 2 MiB, within L3); a multiple of every NR.</summary>
    public const int ColumnBlock = 2048;

    /// <summary>
    /// <c>C[i, j] += Σ_p A[i, p] · B[p, j]</c> with <c>A[i, p] = a[i·aRowStride + p·aDepthStride]</c>,
    /// <c>B[p, j] = b[p·bDepthStride + j·bColumnStride]</c> and <c>C[i, j] = c[i·ldc + j]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<TL, TV>(int m, int n, int k, ref float a, nint aRowStride, nint aDepthStride,
        ref float b, nint bDepthStride, nint bColumnStride, ref float c, nint ldc)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int mr = GemmMicroKernel.Rows<TL, TV>();
        int nr = GemmMicroKernel.VectorsPerRow * TL.Count;
        int kcMax = Math.Min(k, DepthBlock);
        int ncMax = RoundUp(Math.Min(n, ColumnBlock), nr);
        int mcMax = RoundUp(Math.Min(m, RowBlock), mr);
        int tileLength = RoundUp(mr * nr, 16);
        bool directA = aDepthStride == 1 || n <= DirectAColumnLimit;
        Span<float> workspace = GemmWorkspace.Rent(tileLength + (kcMax * ncMax) + (kcMax * mcMax));
        ref float tile = ref MemoryMarshal.GetReference(workspace);
        ref float packedB = ref Unsafe.Add(ref tile, tileLength);
        ref float packedA = ref Unsafe.Add(ref packedB, kcMax * ncMax);

        for (int jc = 0; jc < n; jc += ColumnBlock)
        {
            int nc = Math.Min(ColumnBlock, n - jc);
            for (int pc = 0; pc < k; pc += DepthBlock)
            {
                int kc = Math.Min(DepthBlock, k - pc);
                GemmPacking.PackB<TL, TV>(ref Unsafe.Add(ref b, (pc * bDepthStride) + (jc * bColumnStride)),
                    bDepthStride, bColumnStride, kc, nc, ref packedB);
                for (int ic = 0; ic < m; ic += RowBlock)
                {
                    int mc = Math.Min(RowBlock, m - ic);
                    ref float aBlock = ref Unsafe.Add(ref a, (ic * aRowStride) + (pc * aDepthStride));
                    int wholeRows = directA ? mc - (mc % mr) : 0;
                    if (wholeRows < mc)
                    {
                        // With directA only the ragged last panel is packed (zero-padded), at the start of the buffer.
                        GemmPacking.PackA(ref Unsafe.Add(ref aBlock, wholeRows * aRowStride), aRowStride, aDepthStride,
                            mc - wholeRows, kc, mr, ref packedA);
                    }

                    ref float cBlock = ref Unsafe.Add(ref c, (ic * ldc) + jc);
                    MultiplyBlock<TL, TV>(mc, nc, kc, ldc, ref packedA, ref packedB, ref cBlock, ref tile,
                        ref aBlock, directA ? aRowStride : 0, aDepthStride, wholeRows);
                }
            }
        }
    }

    /// <summary>All MR×NR tiles of one packed (mc × kc)·(kc × nc) block product, added into C.</summary>
    /// <remarks>Row panels below <paramref name="wholeRows"/> are read in place from <paramref name="a"/> with the given
    /// strides; the rest come from <paramref name="packedA"/>, which then starts at row <paramref name="wholeRows"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MultiplyBlock<TL, TV>(int mc, int nc, int kc, nint ldc, ref float packedA, ref float packedB,
        ref float c, ref float tile, ref float a, nint aRowStride, nint aDepthStride, int wholeRows)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int mr = GemmMicroKernel.Rows<TL, TV>();
        int nr = GemmMicroKernel.VectorsPerRow * TL.Count;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int width = Math.Min(nr, nc - jr);
            ref float bPanel = ref Unsafe.Add(ref packedB, (nint)jr * kc);
            for (int ir = 0; ir < mc; ir += mr)
            {
                int height = Math.Min(mr, mc - ir);
                bool inPlace = ir < wholeRows;
                ref float aPanel = ref inPlace ? ref Unsafe.Add(ref a, ir * aRowStride) : ref Unsafe.Add(ref packedA, (nint)(ir - wholeRows) * kc);
                nint panelRowStride = inPlace ? aRowStride : 1;
                nint panelDepthStride = inPlace ? aDepthStride : mr;
                ref float cTile = ref Unsafe.Add(ref c, (ir * ldc) + jr);
                if (height == mr && width == nr)
                {
                    GemmMicroKernel.MultiplyAdd<TL, TV>(kc, ref aPanel, panelRowStride, panelDepthStride, ref bPanel, ref cTile, ldc);
                    continue;
                }

                // Ragged edge: run the full tile into zeroed scratch, then add only the rows and columns that exist.
                MemoryMarshal.CreateSpan(ref tile, mr * nr).Clear();
                GemmMicroKernel.MultiplyAdd<TL, TV>(kc, ref aPanel, panelRowStride, panelDepthStride, ref bPanel, ref tile, nr);
                for (int r = 0; r < height; r++)
                {
                    ref float from = ref Unsafe.Add(ref tile, r * nr);
                    ref float to = ref Unsafe.Add(ref cTile, r * ldc);
                    for (int j = 0; j < width; j++)
                    {
                        Unsafe.Add(ref to, j) += Unsafe.Add(ref from, j);
                    }
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
