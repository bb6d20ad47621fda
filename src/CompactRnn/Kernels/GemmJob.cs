using System;
using System.Runtime.InteropServices;
using CompactRnn.Threading;

namespace CompactRnn.Kernels;

/// <summary>
/// One strided product <c>C[i, j] += Σ_p A[i, p] · B[p, j]</c> described by memory handles and offsets, so it can be
/// handed to another thread (spans cannot be): <c>A[i, p] = a[aOffset + i·aRowStride + p·aDepthStride]</c>,
/// <c>B[p, j] = b[bOffset + p·bDepthStride + j·bColumnStride]</c>, <c>C[i, j] = c[cOffset + i·ldc + j]</c>.
/// </summary>
internal readonly record struct GemmJob(
    ReadOnlyMemory<float> A, int AOffset, int ARowStride, int ADepthStride,
    ReadOnlyMemory<float> B, int BOffset, int BDepthStride, int BColumnStride,
    Memory<float> C, int COffset, int Ldc, int M, int N, int K) : IWorkerJob
{
    /// <summary>Runs the product on the calling thread.</summary>
    public void Run()
    {
        if (M == 0 || N == 0 || K == 0)
        {
            return;
        }

        ReadOnlySpan<float> a = A.Span.Slice(AOffset), b = B.Span.Slice(BOffset);
        Span<float> c = C.Span.Slice(COffset);
        Gemm.Multiply(M, N, K, ref MemoryMarshal.GetReference(a), ARowStride, ADepthStride,
            ref MemoryMarshal.GetReference(b), BDepthStride, BColumnStride,
            ref MemoryMarshal.GetReference(c), Ldc);
    }
}
