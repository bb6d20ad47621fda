using System;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>
/// The column-block overloads of <see cref="Gemm"/> (a low-rank group's or a shared consumer's slice of a wider output row):
/// they touch only the block, give the same bits as the contiguous overloads on a copied block, and match a double reference.
/// </summary>
public sealed class GemmColumnBlockTests
{
    private const int Rows = 5, Width = 23, First = 7, Block = 11, Depth = 9;

    [Fact]
    public void TransposedB_IntoColumnBlock_WritesOnlyTheBlockAndMatchesContiguous()
    {
        var random = new Random(1);
        float[] a = Random(random, Rows * Depth), b = Random(random, Block * Depth), wide = Random(random, Rows * Width);
        float[] before = (float[])wide.Clone();
        float[] contiguous = CopyBlock(wide, Rows);

        Gemm.MultiplyAddTransposedB(a, b, wide.AsSpan(First), Rows, Block, Depth, cRowStride: Width);
        Gemm.MultiplyAddTransposedB(a, b, contiguous, Rows, Block, Depth);

        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Width; j++)
            {
                bool inBlock = j >= First && j < First + Block;
                float expected = inBlock ? contiguous[(i * Block) + j - First] : before[(i * Width) + j];
                Assert.Equal(expected, wide[(i * Width) + j]);
                if (inBlock)
                {
                    double reference = before[(i * Width) + j];
                    for (int p = 0; p < Depth; p++)
                    {
                        reference += (double)a[(i * Depth) + p] * b[((j - First) * Depth) + p];
                    }

                    Assert.Equal(reference, wide[(i * Width) + j], 4);
                }
            }
        }
    }

    [Fact]
    public void Plain_FromColumnBlock_MatchesContiguous()
    {
        var random = new Random(2);
        float[] wide = Random(random, Rows * Width), b = Random(random, Block * Depth);
        float[] viaStride = new float[Rows * Depth], viaCopy = new float[Rows * Depth];

        Gemm.MultiplyAdd(wide.AsSpan(First), aRowStride: Width, b, viaStride, Rows, Depth, Block); // C[5, 9] += A[5, 11]·B[11, 9]
        Gemm.MultiplyAdd(CopyBlock(wide, Rows), b, viaCopy, Rows, Depth, Block);

        Assert.Equal(viaCopy, viaStride);
    }

    [Fact]
    public void TransposedA_FromColumnBlock_MatchesContiguous()
    {
        var random = new Random(3);
        float[] wide = Random(random, Rows * Width), b = Random(random, Rows * Depth);
        float[] viaStride = new float[Block * Depth], viaCopy = new float[Block * Depth];

        Gemm.MultiplyAddTransposedA(wide.AsSpan(First), aRowStride: Width, b, viaStride, Block, Depth, Rows); // C[11, 9] += A[5, 11]ᵀ·B[5, 9]
        Gemm.MultiplyAddTransposedA(CopyBlock(wide, Rows), b, viaCopy, Block, Depth, Rows);

        Assert.Equal(viaCopy, viaStride);
    }

    private static float[] CopyBlock(float[] wide, int rows)
    {
        float[] block = new float[rows * Block];
        for (int i = 0; i < rows; i++)
        {
            wide.AsSpan((i * Width) + First, Block).CopyTo(block.AsSpan(i * Block));
        }

        return block;
    }

    private static float[] Random(Random random, int length)
    {
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((2 * random.NextDouble()) - 1);
        }

        return values;
    }
}
