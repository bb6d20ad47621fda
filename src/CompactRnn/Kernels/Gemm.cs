using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>
/// Accumulating single-precision matrix products on row-major spans. These three shapes are all the
/// dense algebra the library needs: forward <c>Y += X·Wᵀ</c>, input gradient <c>dX += dY·W</c> and
/// weight gradient <c>dW += dYᵀ·X</c>, where W is stored [rows, columns] like PyTorch's <c>weight_ih</c>.
/// </summary>
/// <remarks>
/// <para>Each shape is one strided view of <c>C[M, N] += A[M, K]·B[K, N]</c>, routed by size to one of five
/// kernels, each written once over a vector width (<see cref="ILanes{TV}"/>):</para>
/// <list type="bullet">
/// <item><see cref="SmallGemm.AxpyRows{TL, TV}"/> when B is row-major and M ≤ <see cref="SmallRowLimit"/>
/// (batch-1 GEMV) or K ≤ <see cref="AxpyDepthLimit"/> (outer products): rows of B scaled into register strips of C;</item>
/// <item><see cref="SmallGemm.DotRows{TL, TV}"/> for <c>A·Bᵀ</c> with M ≤ <see cref="SmallRowLimit"/>
/// (the streaming GEMV <c>y += W·x</c>): several rows of W against each x with independent accumulators;</item>
/// <item><see cref="DotGemm"/> for <c>A·Bᵀ</c> with M ≤ <see cref="DotRowLimit"/>, below ¾ of a register tile's
/// width, and K ≥ <see cref="DotMinimumDepth"/>: register-tiled inner products;</item>
/// <item><see cref="TransposedTileGemm"/> for other <c>A·Bᵀ</c> with M ≤ <see cref="TransposedTileRowLimit"/>
/// (a batch against a weight matrix): micro-kernel tiles of <c>Cᵀ = B·Aᵀ</c>, B read in place;</item>
/// <item><see cref="PackedGemm"/> otherwise: packed, cache-blocked (KC/MC/NC), MR × 2-vector register tiles.</item>
/// </list>
/// <para>The widest accelerated width whose vectors the lane axis (K for inner products, N otherwise) can fill is
/// chosen: Vector512, Vector256, Vector128, else plain floats. The generic overloads run one width directly
/// (tests call every width; unaccelerated widths run correctly in software). Products run on the calling thread;
/// training parallelises over minibatch shards instead (<c>TrainerOptions.Threads</c>).</para>
/// <para>Sums are in float with a width-dependent order, so paths agree to rounding, not bit for bit; a given
/// path and shape is deterministic. Scratch memory is per thread and reused: no allocation after warm-up.</para>
/// <para>Callers validate sizes; kernels only assert them.</para>
/// </remarks>
internal static class Gemm
{
    /// <summary>Largest M served by the unpacked small-batch kernels.</summary>
    public const int SmallRowLimit = 4;

    /// <summary>
    /// Largest K for which a row-major B is swept row by row (<see cref="SmallGemm.AxpyRows{TL, TV}"/>)
    /// at any M: a strip of B that thin stays in L1, so packing and tiling would only add overhead.
    /// </summary>
    public const int AxpyDepthLimit = 8;

    /// <summary>Smallest K for which inner products pay for their per-entry horizontal sums.</summary>
    public const int DotMinimumDepth = 64;

    /// <summary>Largest M for which <c>A·Bᵀ</c> is vectorised along K (inner products) rather than along M or N.</summary>
    public const int DotRowLimit = 23;

    /// <summary>
    /// Largest M for which <c>A·Bᵀ</c> runs as tiles of <c>Cᵀ</c> with B read in place (<see cref="TransposedTileGemm"/>)
    /// rather than through the packed path's transposing pack of B, which costs about a cycle per element of B and
    /// is repaid over M rows; measured crossover between M = 256 and 640.
    /// </summary>
    public const int TransposedTileRowLimit = 384;

    /// <summary><c>C[M, N] += A[M, K] · B[N, K]ᵀ</c> (each C entry is a dot product of two contiguous rows).</summary>
    public static void MultiplyAddTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        Debug.Assert(m >= 0 && n >= 0 && k >= 0);
        Debug.Assert(a.Length >= m * k && b.Length >= n * k && c.Length >= m * n);
        Multiply(m, n, k, ref MemoryMarshal.GetReference(a), k, 1, ref MemoryMarshal.GetReference(b), 1, k, ref MemoryMarshal.GetReference(c), n);
    }

    /// <summary><c>C[M, N] += A[M, K] · B[K, N]</c> (rows of B scaled and added into rows of C).</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        Debug.Assert(m >= 0 && n >= 0 && k >= 0);
        Debug.Assert(a.Length >= m * k && b.Length >= k * n && c.Length >= m * n);
        Multiply(m, n, k, ref MemoryMarshal.GetReference(a), k, 1, ref MemoryMarshal.GetReference(b), n, 1, ref MemoryMarshal.GetReference(c), n);
    }

    /// <summary><c>C[M, N] += A[K, M]ᵀ · B[K, N]</c> (a sum of K outer products).</summary>
    public static void MultiplyAddTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        Debug.Assert(m >= 0 && n >= 0 && k >= 0);
        Debug.Assert(a.Length >= k * m && b.Length >= k * n && c.Length >= m * n);
        Multiply(m, n, k, ref MemoryMarshal.GetReference(a), 1, m, ref MemoryMarshal.GetReference(b), n, 1, ref MemoryMarshal.GetReference(c), n);
    }

    /// <summary>
    /// <see cref="MultiplyAddTransposedB(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/> into a column
    /// block of a wider matrix: <c>C[i, j] = c[i·cRowStride + j]</c>, so <c>c</c> starts at the block's first column.
    /// </summary>
    public static void MultiplyAddTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, int cRowStride)
    {
        Debug.Assert(m >= 1 && n >= 0 && k >= 0 && cRowStride >= n);
        Debug.Assert(a.Length >= m * k && b.Length >= n * k && c.Length >= ((m - 1) * cRowStride) + n);
        Multiply(m, n, k, ref MemoryMarshal.GetReference(a), k, 1, ref MemoryMarshal.GetReference(b), 1, k, ref MemoryMarshal.GetReference(c), cRowStride);
    }

    /// <summary>
    /// <see cref="MultiplyAdd(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/> reading A from a column
    /// block of a wider matrix: <c>A[i, p] = a[i·aRowStride + p]</c>, so <c>a</c> starts at the block's first column.
    /// </summary>
    public static void MultiplyAdd(ReadOnlySpan<float> a, int aRowStride, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        Debug.Assert(m >= 1 && n >= 0 && k >= 0 && aRowStride >= k);
        Debug.Assert(a.Length >= ((m - 1) * aRowStride) + k && b.Length >= k * n && c.Length >= m * n);
        Multiply(m, n, k, ref MemoryMarshal.GetReference(a), aRowStride, 1, ref MemoryMarshal.GetReference(b), n, 1, ref MemoryMarshal.GetReference(c), n);
    }

    /// <summary>
    /// <see cref="MultiplyAddTransposedA(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/> reading A from a
    /// column block of a wider matrix: <c>A[p, i] = a[p·aRowStride + i]</c> (p &lt; K, i &lt; M), so <c>a</c> starts at the block's first column.
    /// </summary>
    public static void MultiplyAddTransposedA(ReadOnlySpan<float> a, int aRowStride, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        Debug.Assert(m >= 0 && n >= 0 && k >= 1 && aRowStride >= m);
        Debug.Assert(a.Length >= ((k - 1) * aRowStride) + m && b.Length >= k * n && c.Length >= m * n);
        Multiply(m, n, k, ref MemoryMarshal.GetReference(a), 1, aRowStride, ref MemoryMarshal.GetReference(b), n, 1, ref MemoryMarshal.GetReference(c), n);
    }

    /// <summary>
    /// <c>C[i, j] += Σ_p A[i, p] · B[p, j]</c> on strided views at the widest accelerated vector width:
    /// <c>A[i, p] = a[i·aRowStride + p·aDepthStride]</c>, <c>B[p, j] = b[p·bDepthStride + j·bColumnStride]</c>,
    /// <c>C[i, j] = c[i·ldc + j]</c>. One of the A strides and one of the B strides is 1.
    /// </summary>
    private static void Multiply(int m, int n, int k, ref float a, nint aRowStride, nint aDepthStride,
        ref float b, nint bDepthStride, nint bColumnStride, ref float c, nint ldc)
    {
        // Widest accelerated width whose vectors the product can fill: the lane axis is K for the inner-product
        // kernels and N otherwise, so a rank-8 factor or an 8-wide output does not run entirely in scalar tails.
        int lanes = IsTransposedB(aDepthStride, bDepthStride, bColumnStride) && m <= DotRowLimit ? k : n;
        if (Vector512.IsHardwareAccelerated && lanes >= Vector512<float>.Count)
        {
            Multiply<Lanes512, Vector512<float>>(m, n, k, ref a, aRowStride, aDepthStride, ref b, bDepthStride, bColumnStride, ref c, ldc);
        }
        else if (Vector256.IsHardwareAccelerated && lanes >= Vector256<float>.Count)
        {
            Multiply<Lanes256, Vector256<float>>(m, n, k, ref a, aRowStride, aDepthStride, ref b, bDepthStride, bColumnStride, ref c, ldc);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Multiply<Lanes128, Vector128<float>>(m, n, k, ref a, aRowStride, aDepthStride, ref b, bDepthStride, bColumnStride, ref c, ldc);
        }
        else
        {
            Multiply<Lanes1, float>(m, n, k, ref a, aRowStride, aDepthStride, ref b, bDepthStride, bColumnStride, ref c, ldc);
        }
    }

    /// <summary><see cref="MultiplyAddTransposedB(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/> at one vector width.</summary>
    internal static void MultiplyAddTransposedB<TL, TV>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(m >= 0 && n >= 0 && k >= 0);
        Debug.Assert(a.Length >= m * k && b.Length >= n * k && c.Length >= m * n);
        // A[i, p] = a[i·K + p], B[p, j] = b[j·K + p].
        Multiply<TL, TV>(m, n, k, ref MemoryMarshal.GetReference(a), k, 1, ref MemoryMarshal.GetReference(b), 1, k, ref MemoryMarshal.GetReference(c), n);
    }

    /// <summary><see cref="MultiplyAdd(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/> at one vector width.</summary>
    internal static void MultiplyAdd<TL, TV>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(m >= 0 && n >= 0 && k >= 0);
        Debug.Assert(a.Length >= m * k && b.Length >= k * n && c.Length >= m * n);
        // A[i, p] = a[i·K + p], B[p, j] = b[p·N + j].
        Multiply<TL, TV>(m, n, k, ref MemoryMarshal.GetReference(a), k, 1, ref MemoryMarshal.GetReference(b), n, 1, ref MemoryMarshal.GetReference(c), n);
    }

    /// <summary><see cref="MultiplyAddTransposedA(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/> at one vector width.</summary>
    internal static void MultiplyAddTransposedA<TL, TV>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(m >= 0 && n >= 0 && k >= 0);
        Debug.Assert(a.Length >= k * m && b.Length >= k * n && c.Length >= m * n);
        // A[i, p] = a[p·M + i], B[p, j] = b[p·N + j].
        Multiply<TL, TV>(m, n, k, ref MemoryMarshal.GetReference(a), 1, m, ref MemoryMarshal.GetReference(b), n, 1, ref MemoryMarshal.GetReference(c), n);
    }

    /// <summary>
    /// <c>C[i, j] += Σ_p A[i, p] · B[p, j]</c> with <c>A[i, p] = a[i·aRowStride + p·aDepthStride]</c>,
    /// <c>B[p, j] = b[p·bDepthStride + j·bColumnStride]</c>, <c>C[i, j] = c[i·ldc + j]</c>, at one vector width.
    /// </summary>
    private static void Multiply<TL, TV>(int m, int n, int k, ref float a, nint aRowStride, nint aDepthStride,
        ref float b, nint bDepthStride, nint bColumnStride, ref float c, nint ldc)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        if (m == 0 || n == 0 || k == 0)
        {
            return;
        }

        if (bColumnStride == 1 && (m <= SmallRowLimit || k <= AxpyDepthLimit))
        {
            SmallGemm.AxpyRows<TL, TV>(m, n, k, ref a, aRowStride, aDepthStride, ref b, bDepthStride, ref c, ldc);
        }
        else if (IsTransposedB(aDepthStride, bDepthStride, bColumnStride) && m <= SmallRowLimit)
        {
            SmallGemm.DotRows<TL, TV>(m, n, k, ref a, aRowStride, ref b, bColumnStride, ref c, ldc);
        }
        else if (IsTransposedB(aDepthStride, bDepthStride, bColumnStride) && m <= DotRowLimit && k >= DotMinimumDepth
            && 4 * m < 3 * GemmMicroKernel.VectorsPerRow * TL.Count)
        {
            // Fewer rows than three quarters of a register tile's width: tiles of Cᵀ would be mostly padding.
            DotGemm.MultiplyAdd<TL, TV>(m, n, k, ref a, aRowStride, ref b, bColumnStride, ref c, ldc);
        }
        else if (IsTransposedB(aDepthStride, bDepthStride, bColumnStride) && m <= TransposedTileRowLimit)
        {
            TransposedTileGemm.MultiplyAdd<TL, TV>(m, n, k, ref a, aRowStride, ref b, bColumnStride, ref c, ldc);
        }
        else
        {
            PackedGemm.MultiplyAdd<TL, TV>(m, n, k, ref a, aRowStride, aDepthStride, ref b, bDepthStride, bColumnStride, ref c, ldc);
        }
    }

    /// <summary>Whether the product is <c>A·Bᵀ</c> with both operands' rows contiguous along p (K &gt; 1).</summary>
    private static bool IsTransposedB(nint aDepthStride, nint bDepthStride, nint bColumnStride)
        => aDepthStride == 1 && bDepthStride == 1 && bColumnStride != 1;
}
