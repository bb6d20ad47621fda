using System;
using System.Diagnostics;
using System.Numerics.Tensors;

namespace CompactRnn.Kernels;

/// <summary>
/// Accumulating single-precision matrix products on row-major spans. These three shapes are all the
/// dense algebra the library needs: forward <c>Y += X·Wᵀ</c>, input gradient <c>dX += dY·W</c> and
/// weight gradient <c>dW += dYᵀ·X</c>, where W is stored [rows, columns] like PyTorch's <c>weight_ih</c>.
/// </summary>
/// <remarks>Callers validate sizes; kernels only assert them.</remarks>
internal static class Gemm
{
    /// <summary><c>C[M, N] += A[M, K] · B[N, K]ᵀ</c> (each C entry is a dot product of two contiguous rows).</summary>
    public static void MultiplyAddTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        Debug.Assert(a.Length >= m * k && b.Length >= n * k && c.Length >= m * n);
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> aRow = a.Slice(i * k, k);
            Span<float> cRow = c.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                cRow[j] += TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
            }
        }
    }

    /// <summary><c>C[M, N] += A[M, K] · B[K, N]</c> (rows of B scaled and added into rows of C).</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        Debug.Assert(a.Length >= m * k && b.Length >= k * n && c.Length >= m * n);
        for (int i = 0; i < m; i++)
        {
            Span<float> cRow = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                float scale = a[(i * k) + p];
                if (scale != 0f)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), scale, cRow, cRow);
                }
            }
        }
    }

    /// <summary><c>C[M, N] += A[K, M]ᵀ · B[K, N]</c> (a sum of K outer products).</summary>
    public static void MultiplyAddTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        Debug.Assert(a.Length >= k * m && b.Length >= k * n && c.Length >= m * n);
        for (int p = 0; p < k; p++)
        {
            ReadOnlySpan<float> bRow = b.Slice(p * n, n);
            for (int i = 0; i < m; i++)
            {
                float scale = a[(p * m) + i];
                if (scale != 0f)
                {
                    Span<float> cRow = c.Slice(i * n, n);
                    TensorPrimitives.MultiplyAdd(bRow, scale, cRow, cRow);
                }
            }
        }
    }
}
