using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompactRnn.Kernels;

/// <summary>
/// Unpacked kernels for products where packing would cost as much as the product: only a few rows of C
/// (M ≤ 4: batch-1 streaming and tiny batches, bound by streaming B once from memory), or, for the row sweep,
/// a K so small that each strip of B already sits in L1.
/// </summary>
internal static class SmallGemm
{
    /// <summary>Largest M for which <see cref="DotRows{TL, TV}"/> finishes a ragged K with a masked vector.</summary>
    private const int MaskedTailRows = 4;

    /// <summary>Float lanes of the widest vector (Vector512).</summary>
    private const int MaxLanes = 16;

    /// <summary>
    /// <c>C[i, j] += Σ_p A[i, p] · B[j, p]</c> with rows of A and rows of B (the columns of the product) both contiguous
    /// along p: the GEMV <c>y += W·x</c> over rows of W. Four rows of B are streamed together against each row of A,
    /// with two accumulators per row so eight independent FMA chains are in flight.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotRows<TL, TV>(int m, int n, int k, ref float a, nint aRowStride, ref float b, nint bRowStride, ref float c, nint ldc)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nint w = TL.Count;
        int wholeVectors = k - (k % (int)w);

        // A ragged K (e.g. 40 input features) would leave k mod w products per entry to scalar code. Instead the last
        // vector of each row of B is loaded overlapping the previous one (at k − w) and multiplied by a copy of A's
        // last w entries whose already-counted lanes are zero; the copies are built once per row of A, not per entry.
        bool maskedTail = wholeVectors != k && k >= w && m <= MaskedTailRows;
        Span<float> tails = maskedTail ? stackalloc float[MaskedTailRows * MaxLanes] : default;
        if (maskedTail)
        {
            for (int i = 0; i < m; i++)
            {
                ref float x = ref Unsafe.Add(ref a, i * aRowStride);
                for (int lane = 0; lane < w; lane++)
                {
                    int p = k - (int)w + lane;
                    tails[(i * (int)w) + lane] = p >= wholeVectors ? Unsafe.Add(ref x, p) : 0f;
                }
            }
        }

        ref float tail = ref MemoryMarshal.GetReference(tails);
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            ref float b0 = ref Unsafe.Add(ref b, j * bRowStride);
            ref float b1 = ref Unsafe.Add(ref b0, bRowStride);
            ref float b2 = ref Unsafe.Add(ref b1, bRowStride);
            ref float b3 = ref Unsafe.Add(ref b2, bRowStride);
            for (int i = 0; i < m; i++)
            {
                ref float x = ref Unsafe.Add(ref a, i * aRowStride);
                TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero;
                TV t0 = TL.Zero, t1 = TL.Zero, t2 = TL.Zero, t3 = TL.Zero;
                nint p = 0;
                for (; p + (2 * w) <= k; p += 2 * w)
                {
                    TV x0 = TL.Load(ref x, p);
                    TV x1 = TL.Load(ref x, p + w);
                    s0 = TL.MultiplyAdd(TL.Load(ref b0, p), x0, s0);
                    s1 = TL.MultiplyAdd(TL.Load(ref b1, p), x0, s1);
                    s2 = TL.MultiplyAdd(TL.Load(ref b2, p), x0, s2);
                    s3 = TL.MultiplyAdd(TL.Load(ref b3, p), x0, s3);
                    t0 = TL.MultiplyAdd(TL.Load(ref b0, p + w), x1, t0);
                    t1 = TL.MultiplyAdd(TL.Load(ref b1, p + w), x1, t1);
                    t2 = TL.MultiplyAdd(TL.Load(ref b2, p + w), x1, t2);
                    t3 = TL.MultiplyAdd(TL.Load(ref b3, p + w), x1, t3);
                }

                if (p + w <= k)
                {
                    TV x0 = TL.Load(ref x, p);
                    s0 = TL.MultiplyAdd(TL.Load(ref b0, p), x0, s0);
                    s1 = TL.MultiplyAdd(TL.Load(ref b1, p), x0, s1);
                    s2 = TL.MultiplyAdd(TL.Load(ref b2, p), x0, s2);
                    s3 = TL.MultiplyAdd(TL.Load(ref b3, p), x0, s3);
                    p += w;
                }

                if (maskedTail)
                {
                    TV xt = TL.Load(ref tail, i * w);
                    nint last = k - w;
                    t0 = TL.MultiplyAdd(TL.Load(ref b0, last), xt, t0);
                    t1 = TL.MultiplyAdd(TL.Load(ref b1, last), xt, t1);
                    t2 = TL.MultiplyAdd(TL.Load(ref b2, last), xt, t2);
                    t3 = TL.MultiplyAdd(TL.Load(ref b3, last), xt, t3);
                    p = k;
                }

                float d0 = TL.Sum(TL.Add(s0, t0)), d1 = TL.Sum(TL.Add(s1, t1));
                float d2 = TL.Sum(TL.Add(s2, t2)), d3 = TL.Sum(TL.Add(s3, t3));
                for (; p < k; p++)
                {
                    float xp = Unsafe.Add(ref x, p);
                    d0 += Unsafe.Add(ref b0, p) * xp;
                    d1 += Unsafe.Add(ref b1, p) * xp;
                    d2 += Unsafe.Add(ref b2, p) * xp;
                    d3 += Unsafe.Add(ref b3, p) * xp;
                }

                ref float cRow = ref Unsafe.Add(ref c, (i * ldc) + j);
                cRow += d0;
                Unsafe.Add(ref cRow, 1) += d1;
                Unsafe.Add(ref cRow, 2) += d2;
                Unsafe.Add(ref cRow, 3) += d3;
            }
        }

        for (; j < n; j++)
        {
            ref float bj = ref Unsafe.Add(ref b, j * bRowStride);
            for (int i = 0; i < m; i++)
            {
                ref float x = ref Unsafe.Add(ref a, i * aRowStride);
                TV s = TL.Zero;
                nint p = 0;
                for (; p + w <= k; p += w)
                {
                    s = TL.MultiplyAdd(TL.Load(ref bj, p), TL.Load(ref x, p), s);
                }

                if (maskedTail)
                {
                    s = TL.MultiplyAdd(TL.Load(ref bj, k - w), TL.Load(ref tail, i * w), s);
                    p = k;
                }

                float d = TL.Sum(s);
                for (; p < k; p++)
                {
                    d += Unsafe.Add(ref bj, p) * Unsafe.Add(ref x, p);
                }

                Unsafe.Add(ref c, (i * ldc) + j) += d;
            }
        }
    }

    /// <summary>
    /// <c>C[i, j] += Σ_p A[i, p] · B[p, j]</c> with B row-major (rows contiguous along j): each C row is a sum of
    /// scaled rows of B. C is swept in strips of eight vectors held in registers while p runs over all of K,
    /// so B is streamed once per strip and C is touched once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AxpyRows<TL, TV>(int m, int n, int k, ref float a, nint aRowStride, nint aDepthStride,
        ref float b, nint bDepthStride, ref float c, nint ldc)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nint w = TL.Count;
        nint j = 0;
        for (; j + (8 * w) <= n; j += 8 * w)
        {
            ref float bStrip = ref Unsafe.Add(ref b, j);
            for (int i = 0; i < m; i++)
            {
                ref float aRow = ref Unsafe.Add(ref a, i * aRowStride);
                TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero;
                TV s4 = TL.Zero, s5 = TL.Zero, s6 = TL.Zero, s7 = TL.Zero;
                for (int p = 0; p < k; p++)
                {
                    TV scale = TL.Broadcast(Unsafe.Add(ref aRow, p * aDepthStride));
                    ref float bRow = ref Unsafe.Add(ref bStrip, p * bDepthStride);
                    s0 = TL.MultiplyAdd(scale, TL.Load(ref bRow, 0), s0);
                    s1 = TL.MultiplyAdd(scale, TL.Load(ref bRow, w), s1);
                    s2 = TL.MultiplyAdd(scale, TL.Load(ref bRow, 2 * w), s2);
                    s3 = TL.MultiplyAdd(scale, TL.Load(ref bRow, 3 * w), s3);
                    s4 = TL.MultiplyAdd(scale, TL.Load(ref bRow, 4 * w), s4);
                    s5 = TL.MultiplyAdd(scale, TL.Load(ref bRow, 5 * w), s5);
                    s6 = TL.MultiplyAdd(scale, TL.Load(ref bRow, 6 * w), s6);
                    s7 = TL.MultiplyAdd(scale, TL.Load(ref bRow, 7 * w), s7);
                }

                ref float cStrip = ref Unsafe.Add(ref c, (i * ldc) + j);
                AddInto<TL, TV>(ref cStrip, 0, s0);
                AddInto<TL, TV>(ref cStrip, w, s1);
                AddInto<TL, TV>(ref cStrip, 2 * w, s2);
                AddInto<TL, TV>(ref cStrip, 3 * w, s3);
                AddInto<TL, TV>(ref cStrip, 4 * w, s4);
                AddInto<TL, TV>(ref cStrip, 5 * w, s5);
                AddInto<TL, TV>(ref cStrip, 6 * w, s6);
                AddInto<TL, TV>(ref cStrip, 7 * w, s7);
            }
        }

        for (; j + w <= n; j += w)
        {
            for (int i = 0; i < m; i++)
            {
                ref float aRow = ref Unsafe.Add(ref a, i * aRowStride);
                TV s = TL.Zero;
                for (int p = 0; p < k; p++)
                {
                    s = TL.MultiplyAdd(TL.Broadcast(Unsafe.Add(ref aRow, p * aDepthStride)), TL.Load(ref b, (p * bDepthStride) + j), s);
                }

                AddInto<TL, TV>(ref c, (i * ldc) + j, s);
            }
        }

        for (; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                ref float aRow = ref Unsafe.Add(ref a, i * aRowStride);
                float s = 0f;
                for (int p = 0; p < k; p++)
                {
                    s += Unsafe.Add(ref aRow, p * aDepthStride) * Unsafe.Add(ref b, (p * bDepthStride) + j);
                }

                Unsafe.Add(ref c, (i * ldc) + j) += s;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInto<TL, TV>(ref float destination, nint offset, TV value)
        where TL : struct, ILanes<TV>
        where TV : struct
        => TL.Store(TL.Add(TL.Load(ref destination, offset), value), ref destination, offset);
}
