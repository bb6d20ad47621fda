using System;
using System.Runtime.CompilerServices;

namespace CompactRnn.Kernels;

/// <summary>
/// Copies blocks of the GEMM operands into the micro-panel order the <see cref="GemmMicroKernel"/> streams
/// through: Â as <c>[⌈mc/MR⌉][kc][MR]</c>, B̂ as <c>[⌈nc/NR⌉][kc][NR]</c>, ragged panels padded with zeros so
/// every tile runs the same full-width code. Operands are described by strides, so one packer serves the
/// row-major, transposed and column-major views of all three product shapes.
/// </summary>
internal static class GemmPacking
{
    /// <summary>Packs <c>A[i, p] = a[i·rowStride + p·depthStride]</c> for i &lt; rows, p &lt; depth.</summary>
    /// <param name="a">Element (0, 0) of the block.</param>
    /// <param name="rowStride">Elements between A[i, p] and A[i + 1, p].</param>
    /// <param name="depthStride">Elements between A[i, p] and A[i, p + 1].</param>
    /// <param name="rows">mc.</param>
    /// <param name="depth">kc.</param>
    /// <param name="mr">MR, the micro-panel height (<see cref="GemmMicroKernel.Rows{TL, TV}"/>).</param>
    /// <param name="packed">Destination, at least <c>⌈rows/MR⌉·MR·depth</c> floats.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(ref float a, nint rowStride, nint depthStride, int rows, int depth, int mr, ref float packed)
    {
        for (int i0 = 0; i0 < rows; i0 += mr)
        {
            int height = Math.Min(mr, rows - i0);
            ref float panel = ref Unsafe.Add(ref packed, (nint)i0 * depth);
            ref float source = ref Unsafe.Add(ref a, i0 * rowStride);
            if (rowStride == 1 && height == mr)
            {
                // A column-major (Aᵀ stored row-major): MR contiguous floats per step of p.
                for (int p = 0; p < depth; p++)
                {
                    ref float from = ref Unsafe.Add(ref source, p * depthStride);
                    ref float to = ref Unsafe.Add(ref panel, p * mr);
                    for (int r = 0; r < mr; r++)
                    {
                        Unsafe.Add(ref to, r) = Unsafe.Add(ref from, r);
                    }
                }

                continue;
            }

            // Row-major A: walk p once, gathering one element from each of the panel's rows (sequential writes).
            for (int p = 0; p < depth; p++)
            {
                ref float from = ref Unsafe.Add(ref source, p * depthStride);
                ref float to = ref Unsafe.Add(ref panel, p * mr);
                for (int r = 0; r < height; r++)
                {
                    Unsafe.Add(ref to, r) = from;
                    from = ref Unsafe.Add(ref from, rowStride);
                }
            }

            for (int r = height; r < mr; r++)
            {
                for (int p = 0; p < depth; p++)
                {
                    Unsafe.Add(ref panel, (p * mr) + r) = 0f;
                }
            }
        }
    }

    /// <summary>Packs <c>B[p, j] = b[p·depthStride + j·columnStride]</c> for p &lt; depth, j &lt; columns.</summary>
    /// <param name="b">Element (0, 0) of the block.</param>
    /// <param name="depthStride">Elements between B[p, j] and B[p + 1, j].</param>
    /// <param name="columnStride">Elements between B[p, j] and B[p, j + 1].</param>
    /// <param name="depth">kc.</param>
    /// <param name="columns">nc.</param>
    /// <param name="packed">Destination, at least <c>⌈columns/NR⌉·NR·depth</c> floats.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<TL, TV>(ref float b, nint depthStride, nint columnStride, int depth, int columns, ref float packed)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nint w = TL.Count;
        int nr = GemmMicroKernel.VectorsPerRow * TL.Count;
        for (int j0 = 0; j0 < columns; j0 += nr)
        {
            int width = Math.Min(nr, columns - j0);
            ref float panel = ref Unsafe.Add(ref packed, (nint)j0 * depth);
            ref float source = ref Unsafe.Add(ref b, j0 * columnStride);
            if (columnStride == 1 && width == nr)
            {
                // Row-major B: NR contiguous floats per step of p, copied as whole vectors.
                for (int p = 0; p < depth; p++)
                {
                    ref float from = ref Unsafe.Add(ref source, p * depthStride);
                    ref float to = ref Unsafe.Add(ref panel, p * nr);
                    TL.Store(TL.Load(ref from, 0), ref to, 0);
                    TL.Store(TL.Load(ref from, w), ref to, w);
                }

                continue;
            }

            // Transposed B (rows of Bᵀ contiguous along p): gather eight columns at a time along p. Eight read
            // streams stay clear of L1 set conflicts when K is a large power of two; all NR at once would not.
            for (int jg = 0; jg < width; jg += 8)
            {
                int count = Math.Min(8, width - jg);
                for (int p = 0; p < depth; p++)
                {
                    ref float from = ref Unsafe.Add(ref source, (jg * columnStride) + (p * depthStride));
                    ref float to = ref Unsafe.Add(ref panel, (p * nr) + jg);
                    for (int j = 0; j < count; j++)
                    {
                        Unsafe.Add(ref to, j) = from;
                        from = ref Unsafe.Add(ref from, columnStride);
                    }
                }
            }

            for (int j = width; j < nr; j++)
            {
                for (int p = 0; p < depth; p++)
                {
                    Unsafe.Add(ref panel, (p * nr) + j) = 0f;
                }
            }
        }
    }
}
