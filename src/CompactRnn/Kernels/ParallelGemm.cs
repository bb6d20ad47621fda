using System;
using System.Threading;
using CompactRnn.Threading;

namespace CompactRnn.Kernels;

/// <summary>
/// The three <see cref="Gemm"/> shapes on two threads, deterministically: C's columns are cut into two fixed
/// contiguous halves, the caller computes the left one and a <see cref="DedicatedWorker{TJob}"/> the right one. Results are
/// bit-identical to the single-threaded <see cref="Gemm"/> call, because every kernel's per-element sequence of
/// operations depends only on K, on the row and on the column's position modulo the tile width, and the cut is a
/// multiple of <see cref="SplitAlignment"/> (a multiple of every tile width).
/// </summary>
/// <remarks>
/// Falls back to one thread for products below <see cref="MinimumWork"/> multiply-adds (hand-off costs a few
/// microseconds), when N is too narrow to cut, or when another caller holds the worker; the result is the same.
/// </remarks>
internal static class ParallelGemm
{
    /// <summary>Smallest <c>M·N·K</c> worth a second thread.</summary>
    public const long MinimumWork = 1L << 21;

    /// <summary>The cut between the halves is a multiple of this many columns.</summary>
    public const int SplitAlignment = 128;

    private static readonly Lock s_gate = new();
    private static DedicatedWorker<GemmJob>? s_worker;

    /// <summary><c>C[M, N] += A[M, K] · B[N, K]ᵀ</c>, see <see cref="Gemm.MultiplyAddTransposedB(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>.</summary>
    public static void MultiplyAddTransposedB(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int m, int n, int k)
        => Run(new GemmJob(a, 0, k, 1, b, 0, 1, k, c, 0, n, m, n, k));

    /// <summary><c>C[M, N] += A[M, K] · B[K, N]</c>, see <see cref="Gemm.MultiplyAdd(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>.</summary>
    public static void MultiplyAdd(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int m, int n, int k)
        => Run(new GemmJob(a, 0, k, 1, b, 0, n, 1, c, 0, n, m, n, k));

    /// <summary><c>C[M, N] += A[K, M]ᵀ · B[K, N]</c>, see <see cref="Gemm.MultiplyAddTransposedA(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>.</summary>
    public static void MultiplyAddTransposedA(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int m, int n, int k)
        => Run(new GemmJob(a, 0, 1, m, b, 0, n, 1, c, 0, n, m, n, k));

    private static void Run(GemmJob job)
    {
        int split = job.N / 2 / SplitAlignment * SplitAlignment;
        if (split == 0 || (long)job.M * job.N * job.K < MinimumWork || !s_gate.TryEnter())
        {
            job.Run();
            return;
        }

        try
        {
            DedicatedWorker<GemmJob> worker = s_worker ??= new DedicatedWorker<GemmJob>("CompactRnn GEMM worker");
            worker.Begin(job with
            {
                BOffset = job.BOffset + (split * job.BColumnStride),
                COffset = job.COffset + split,
                N = job.N - split,
            });
            try
            {
                (job with { N = split }).Run();
            }
            finally
            {
                worker.End();
            }
        }
        finally
        {
            s_gate.Exit();
        }
    }
}
