using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompactRnn.Kernels;

/// <summary>
/// <c>C[i, j] += Σ_p X[i, p] · W[j, p]</c> for a small batch X (M ≤ a few hundred rows) against a large W whose
/// rows are contiguous along p — the forward <c>Y += X·Wᵀ</c> of a recurrent step — computed as tiles of
/// <c>Cᵀ = W · Xᵀ</c> with the <see cref="GemmMicroKernel"/>: W plays Â and is read in place (MR rows at a time,
/// no pack of the big operand), the small Xᵀ is packed once per KC slice as B̂, and each MR × NR tile of Cᵀ is
/// added into C transposed through the scratch tile.
/// </summary>
/// <remarks>
/// The packed path would transpose all of W into B̂ panels, a cost repaid only over M rows. Here each element
/// of C receives, per KC slice, <c>0 + Σ_p</c> from the micro-kernel and is added once into C, whatever its
/// position (a ragged last group of W rows is zero-padded into a small panel, which reads the same values), so
/// results do not depend on how N is cut.
/// </remarks>
internal static class TransposedTileGemm
{
    /// <summary>X[i, p] = x[i·ldx + p], W[j, p] = w[j·ldw + p], C[i, j] = c[i·ldc + j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<TL, TV>(int m, int n, int k, ref float x, nint ldx, ref float w, nint ldw, ref float c, nint ldc)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int mr = GemmMicroKernel.Rows<TL, TV>();
        int nr = GemmMicroKernel.VectorsPerRow * TL.Count;
        int kcMax = Math.Min(k, PackedGemm.DepthBlock);
        int mPadded = (m + nr - 1) / nr * nr;
        int tileLength = (mr * nr + 15) / 16 * 16;
        Span<float> workspace = GemmWorkspace.Rent(tileLength + (kcMax * mPadded) + (kcMax * mr));
        ref float tile = ref MemoryMarshal.GetReference(workspace);
        ref float packedX = ref Unsafe.Add(ref tile, tileLength);
        ref float raggedW = ref Unsafe.Add(ref packedX, kcMax * mPadded);
        int fullRows = n - (n % mr);

        for (int pc = 0; pc < k; pc += PackedGemm.DepthBlock)
        {
            int kc = Math.Min(PackedGemm.DepthBlock, k - pc);
            GemmPacking.PackB<TL, TV>(ref Unsafe.Add(ref x, pc), 1, ldx, kc, m, ref packedX); // B̂[p, i] = X[i, p]
            for (int j0 = 0; j0 < n; j0 += mr)
            {
                int height = Math.Min(mr, n - j0);
                ref float wRows = ref Unsafe.Add(ref w, (j0 * ldw) + pc);
                bool inPlace = j0 < fullRows;
                if (!inPlace)
                {
                    GemmPacking.PackA(ref wRows, ldw, 1, height, kc, mr, ref raggedW);
                }

                ref float aPanel = ref inPlace ? ref wRows : ref raggedW;
                nint aRowStride = inPlace ? ldw : 1;
                nint aDepthStride = inPlace ? 1 : mr;
                for (int i0 = 0; i0 < m; i0 += nr)
                {
                    int width = Math.Min(nr, m - i0);
                    MemoryMarshal.CreateSpan(ref tile, mr * nr).Clear();
                    GemmMicroKernel.MultiplyAdd<TL, TV>(kc, ref aPanel, aRowStride, aDepthStride,
                        ref Unsafe.Add(ref packedX, (nint)i0 * kc), ref tile, nr);

                    // Tile row r holds Cᵀ[j0 + r, i0 …]: add it down column j0 + r of C.
                    for (int i = 0; i < width; i++)
                    {
                        ref float cRow = ref Unsafe.Add(ref c, ((i0 + i) * ldc) + j0);
                        for (int r = 0; r < height; r++)
                        {
                            Unsafe.Add(ref cRow, r) += Unsafe.Add(ref tile, (r * nr) + i);
                        }
                    }
                }
            }
        }
    }
}
