using System.Runtime.CompilerServices;

namespace CompactRnn.Kernels;

/// <summary>
/// The register-blocked inner kernel of the packed GEMM: <c>C[MR, 2w] += Â[MR, kc] · B̂[kc, 2w]</c>, with w the
/// vector width and MR = 8 (16 lanes) or 6. Its 2·MR accumulators stay in registers for the whole kc loop; each
/// step loads two vectors of B̂, broadcasts MR values of Â and issues 2·MR independent fused multiply-adds,
/// enough to cover the FMA latency of two pipes. The scheme (packed micro-panels, rank-1 updates of an MR×NR register tile) is the
/// one of Goto and van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008.
/// </summary>
internal static class GemmMicroKernel
{
    /// <summary>
    /// MR, rows of C per tile (and of each packed Â micro-panel): 8 at 16 lanes, where AVX-512 has 32 vector
    /// registers for 16 accumulators (and a batch of 32 fills whole tiles), else 6, so 12 accumulators plus the two
    /// B vectors and a broadcast fit 16 registers without spilling. A JIT-time constant per width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rows<TL, TV>()
        where TL : struct, ILanes<TV>
        where TV : struct
        => TL.Count >= 16 ? 8 : 6;

    /// <summary>NR in vectors: columns of C per tile are <c>VectorsPerRow · w</c>.</summary>
    public const int VectorsPerRow = 2;

    /// <summary>
    /// <c>C[r, j] += Σ_p A[r, p] · B̂[p·2w + j]</c> for r &lt; MR, j &lt; 2w.
    /// </summary>
    /// <param name="depth">kc, the shared dimension of the two micro-panels.</param>
    /// <param name="packedA">Â micro-panel: <c>A[r, p] = packedA[r·aRowStride + p·aDepthStride]</c>.</param>
    /// <param name="aRowStride">1 for a packed <c>[kc, MR]</c> panel; the row length when rows of A are read in place.</param>
    /// <param name="aDepthStride">MR for a packed panel; 1 when rows of A are read in place.</param>
    /// <param name="packedB">B̂ micro-panel, <c>[kc, 2w]</c>.</param>
    /// <param name="c">Top-left element of the C tile.</param>
    /// <param name="rowStride">Distance in elements between rows of C.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<TL, TV>(int depth, ref float packedA, nint aRowStride, nint aDepthStride, ref float packedB, ref float c, nint rowStride)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nint w = TL.Count;
        int rows = Rows<TL, TV>();
        nint o1 = aRowStride, o2 = 2 * aRowStride, o3 = 3 * aRowStride, o4 = 4 * aRowStride;
        nint o5 = 5 * aRowStride, o6 = 6 * aRowStride, o7 = 7 * aRowStride;
        TV c00 = TL.Zero, c01 = TL.Zero, c10 = TL.Zero, c11 = TL.Zero, c20 = TL.Zero, c21 = TL.Zero;
        TV c30 = TL.Zero, c31 = TL.Zero, c40 = TL.Zero, c41 = TL.Zero, c50 = TL.Zero, c51 = TL.Zero;
        TV c60 = TL.Zero, c61 = TL.Zero, c70 = TL.Zero, c71 = TL.Zero;
        for (int p = 0; p < depth; p++)
        {
            TV b0 = TL.Load(ref packedB, 0);
            TV b1 = TL.Load(ref packedB, w);
            TV a = TL.Broadcast(packedA);
            c00 = TL.MultiplyAdd(a, b0, c00);
            c01 = TL.MultiplyAdd(a, b1, c01);
            a = TL.Broadcast(Unsafe.Add(ref packedA, o1));
            c10 = TL.MultiplyAdd(a, b0, c10);
            c11 = TL.MultiplyAdd(a, b1, c11);
            a = TL.Broadcast(Unsafe.Add(ref packedA, o2));
            c20 = TL.MultiplyAdd(a, b0, c20);
            c21 = TL.MultiplyAdd(a, b1, c21);
            a = TL.Broadcast(Unsafe.Add(ref packedA, o3));
            c30 = TL.MultiplyAdd(a, b0, c30);
            c31 = TL.MultiplyAdd(a, b1, c31);
            a = TL.Broadcast(Unsafe.Add(ref packedA, o4));
            c40 = TL.MultiplyAdd(a, b0, c40);
            c41 = TL.MultiplyAdd(a, b1, c41);
            a = TL.Broadcast(Unsafe.Add(ref packedA, o5));
            c50 = TL.MultiplyAdd(a, b0, c50);
            c51 = TL.MultiplyAdd(a, b1, c51);
            if (rows == 8)
            {
                a = TL.Broadcast(Unsafe.Add(ref packedA, o6));
                c60 = TL.MultiplyAdd(a, b0, c60);
                c61 = TL.MultiplyAdd(a, b1, c61);
                a = TL.Broadcast(Unsafe.Add(ref packedA, o7));
                c70 = TL.MultiplyAdd(a, b0, c70);
                c71 = TL.MultiplyAdd(a, b1, c71);
            }

            packedA = ref Unsafe.Add(ref packedA, aDepthStride);
            packedB = ref Unsafe.Add(ref packedB, VectorsPerRow * w);
        }

        AddRow<TL, TV>(ref c, w, c00, c01);
        AddRow<TL, TV>(ref Unsafe.Add(ref c, rowStride), w, c10, c11);
        AddRow<TL, TV>(ref Unsafe.Add(ref c, 2 * rowStride), w, c20, c21);
        AddRow<TL, TV>(ref Unsafe.Add(ref c, 3 * rowStride), w, c30, c31);
        AddRow<TL, TV>(ref Unsafe.Add(ref c, 4 * rowStride), w, c40, c41);
        AddRow<TL, TV>(ref Unsafe.Add(ref c, 5 * rowStride), w, c50, c51);
        if (rows == 8)
        {
            AddRow<TL, TV>(ref Unsafe.Add(ref c, 6 * rowStride), w, c60, c61);
            AddRow<TL, TV>(ref Unsafe.Add(ref c, 7 * rowStride), w, c70, c71);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow<TL, TV>(ref float row, nint w, TV left, TV right)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        TL.Store(TL.Add(TL.Load(ref row, 0), left), ref row, 0);
        TL.Store(TL.Add(TL.Load(ref row, w), right), ref row, w);
    }
}
