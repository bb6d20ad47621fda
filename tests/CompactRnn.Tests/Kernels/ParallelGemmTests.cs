using System;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>The two-thread split must give exactly the single-thread bits, in every kernel regime.</summary>
public sealed class ParallelGemmTests
{
    public enum Shape
    {
        TransposedB,
        Plain,
        TransposedA,
    }

    /// <summary>(m, n, k) above the parallel threshold: GEMV, small-M, inner-product and packed regimes, ragged N.</summary>
    public static TheoryData<Shape, int, int, int> Cases()
    {
        var data = new TheoryData<Shape, int, int, int>();
        foreach (Shape shape in Enum.GetValues<Shape>())
        {
            data.Add(shape, 1, 4100, 600);
            data.Add(shape, 3, 1001, 800);
            data.Add(shape, 40, 301, 200);
            data.Add(shape, 200, 333, 41);
            data.Add(shape, 20, 1000, 130);
            data.Add(shape, 500, 300, 20);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_TwoThreads_BitIdenticalToOneThread(Shape shape, int m, int n, int k)
    {
        Assert.True((long)m * n * k >= ParallelGemm.MinimumWork);
        var random = new Random(11);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, n * k), initial = RandomArray(random, m * n);
        float[] serial = (float[])initial.Clone(), parallel = (float[])initial.Clone();
        switch (shape)
        {
            case Shape.TransposedB:
                Gemm.MultiplyAddTransposedB(a, b, serial, m, n, k);
                ParallelGemm.MultiplyAddTransposedB(a, b, parallel, m, n, k);
                break;
            case Shape.Plain:
                Gemm.MultiplyAdd(a, b, serial, m, n, k);
                ParallelGemm.MultiplyAdd(a, b, parallel, m, n, k);
                break;
            default:
                Gemm.MultiplyAddTransposedA(a, b, serial, m, n, k);
                ParallelGemm.MultiplyAddTransposedA(a, b, parallel, m, n, k);
                break;
        }

        Assert.Equal(serial, parallel);
    }

    private static float[] RandomArray(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
