using System;
using System.Runtime.Intrinsics;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>
/// Every GEMM shape against a double-precision reference, through the dispatching entry points and through each
/// vector width directly (unaccelerated widths run in software, so every path is checked on any machine).
/// Rerun with <c>DOTNET_EnableAVX512=0</c> or <c>DOTNET_EnableHWIntrinsic=0</c> to exercise the fallbacks.
/// </summary>
public sealed class GemmTests
{
    private const int Padding = 5;

    /// <summary>(m, n, k): ones, primes, ragged tiles, the small-M kernels, tiny K, and every blocking loop.</summary>
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 1, 1, 1 }, { 1, 7, 3 }, { 2, 3, 5 }, { 3, 100, 1 }, { 4, 17, 33 }, { 1, 37, 300 }, { 1, 64, 64 },
        { 5, 5, 5 }, { 6, 32, 1 }, { 7, 33, 13 }, { 13, 31, 17 }, { 12, 64, 16 }, { 1, 1, 257 }, { 97, 1, 3 },
        { 130, 257, 67 }, { 31, 70, 300 }, { 151, 40, 9 }, { 7, 2085, 3 }, { 9, 13, 1100 }, { 170, 45, 20 }, { 12, 9, 8 }, { 40, 20, 64 }, { 400, 19, 7 }, { 20, 37, 70 },
    };

    public enum Shape
    {
        TransposedB,
        Plain,
        TransposedA,
    }

    public enum Width
    {
        Dispatch,
        Scalar,
        Bits128,
        Bits256,
        Bits512,
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MultiplyAddTransposedB_AllWidths_MatchesDoubleReference(int m, int n, int k) => CheckAllWidths(Shape.TransposedB, m, n, k);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MultiplyAdd_AllWidths_MatchesDoubleReference(int m, int n, int k) => CheckAllWidths(Shape.Plain, m, n, k);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MultiplyAddTransposedA_AllWidths_MatchesDoubleReference(int m, int n, int k) => CheckAllWidths(Shape.TransposedA, m, n, k);

    [Theory]
    [InlineData(Shape.TransposedB)]
    [InlineData(Shape.Plain)]
    [InlineData(Shape.TransposedA)]
    public void Multiply_ZeroSizes_LeavesOutputUntouched(Shape shape)
    {
        float[] c = [1f, 2f, 3f];
        Run(shape, Width.Dispatch, [], new float[12], c, 0, 3, 4);
        Run(shape, Width.Dispatch, [], [], c, 1, 3, 0);
        Assert.Equal([1f, 2f, 3f], c);
    }

    [Theory]
    [InlineData(Shape.TransposedB, 1)]
    [InlineData(Shape.TransposedB, 40)]
    [InlineData(Shape.Plain, 1)]
    [InlineData(Shape.Plain, 40)]
    [InlineData(Shape.TransposedA, 40)]
    public void Multiply_SameInputsTwice_GivesIdenticalBits(Shape shape, int m)
    {
        const int n = 70, k = 45;
        var random = new Random(7);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, n * k);
        float[] first = new float[m * n], second = new float[m * n];
        Run(shape, Width.Dispatch, a, b, first, m, n, k);
        Run(shape, Width.Dispatch, a, b, second, m, n, k);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Multiply_AfterWarmUp_AllocatesNothing()
    {
        const int m = 40, n = 300, k = 70;
        var random = new Random(3);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, n * k), c = new float[m * n];
        Shape[] shapes = Enum.GetValues<Shape>();
        foreach (Shape shape in shapes)
        {
            Run(shape, Width.Dispatch, a, b, c, m, n, k);
            Run(shape, Width.Dispatch, a, b, c, 1, n, k);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (Shape shape in shapes)
        {
            Run(shape, Width.Dispatch, a, b, c, m, n, k);
            Run(shape, Width.Dispatch, a, b, c, 1, n, k);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void CheckAllWidths(Shape shape, int m, int n, int k)
    {
        foreach (Width width in Enum.GetValues<Width>())
        {
            // Software-emulated wide vectors are slow; keep them to moderate sizes.
            if (width is Width.Bits512 or Width.Bits256 && !Vector256.IsHardwareAccelerated && (long)m * n * k > 200_000)
            {
                continue;
            }

            Check(shape, width, m, n, k, seed: (m * 1_000_003) + (n * 1009) + k);
        }
    }

    /// <summary>
    /// Runs one product on spans cut from padded arrays: inputs start at an offset, C is pre-filled (accumulate
    /// semantics) and surrounded by NaN sentinels that must stay bit-identical.
    /// </summary>
    private static void Check(Shape shape, Width width, int m, int n, int k, int seed)
    {
        var random = new Random(seed);
        float[] aStore = RandomArray(random, (m * k) + (2 * Padding));
        float[] bStore = RandomArray(random, (n * k) + (2 * Padding));
        float[] cStore = RandomArray(random, (m * n) + (2 * Padding));
        for (int s = 0; s < Padding; s++)
        {
            cStore[s] = float.NaN;
            cStore[^(s + 1)] = float.NaN;
        }

        float[] initial = (float[])cStore.Clone();
        ReadOnlySpan<float> a = aStore.AsSpan(Padding, m * k), b = bStore.AsSpan(Padding, n * k);
        Run(shape, width, a, b, cStore.AsSpan(Padding, m * n), m, n, k);

        for (int s = 0; s < Padding; s++)
        {
            Assert.True(float.IsNaN(cStore[s]) && float.IsNaN(cStore[^(s + 1)]), $"sentinel overwritten ({shape}, {width}, {m}×{n}×{k})");
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double c0 = initial[Padding + (i * n) + j];
                double sum = c0, magnitude = Math.Abs(c0);
                for (int p = 0; p < k; p++)
                {
                    double product = (double)ElementA(shape, a, i, p, m, k) * ElementB(shape, b, p, j, n, k);
                    sum += product;
                    magnitude += Math.Abs(product);
                }

                double actual = cStore[Padding + (i * n) + j];
                double tolerance = 1e-5 * Math.Sqrt(k + 1) * Math.Max(magnitude, 1e-3);
                Assert.True(Math.Abs(actual - sum) <= tolerance,
                    $"{shape} {width} {m}×{n}×{k} seed {seed}: C[{i},{j}] = {actual}, expected {sum} ± {tolerance}");
            }
        }
    }

    private static float ElementA(Shape shape, ReadOnlySpan<float> a, int i, int p, int m, int k)
        => shape == Shape.TransposedA ? a[(p * m) + i] : a[(i * k) + p];

    private static float ElementB(Shape shape, ReadOnlySpan<float> b, int p, int j, int n, int k)
        => shape == Shape.TransposedB ? b[(j * k) + p] : b[(p * n) + j];

    private static void Run(Shape shape, Width width, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        switch (width)
        {
            case Width.Dispatch:
                RunDispatch(shape, a, b, c, m, n, k);
                break;
            case Width.Scalar:
                RunWidth<Lanes1, float>(shape, a, b, c, m, n, k);
                break;
            case Width.Bits128:
                RunWidth<Lanes128, Vector128<float>>(shape, a, b, c, m, n, k);
                break;
            case Width.Bits256:
                RunWidth<Lanes256, Vector256<float>>(shape, a, b, c, m, n, k);
                break;
            default:
                RunWidth<Lanes512, Vector512<float>>(shape, a, b, c, m, n, k);
                break;
        }
    }

    private static void RunDispatch(Shape shape, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        if (shape == Shape.TransposedB)
        {
            Gemm.MultiplyAddTransposedB(a, b, c, m, n, k);
        }
        else if (shape == Shape.Plain)
        {
            Gemm.MultiplyAdd(a, b, c, m, n, k);
        }
        else
        {
            Gemm.MultiplyAddTransposedA(a, b, c, m, n, k);
        }
    }

    private static void RunWidth<TL, TV>(Shape shape, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        if (shape == Shape.TransposedB)
        {
            Gemm.MultiplyAddTransposedB<TL, TV>(a, b, c, m, n, k);
        }
        else if (shape == Shape.Plain)
        {
            Gemm.MultiplyAdd<TL, TV>(a, b, c, m, n, k);
        }
        else
        {
            Gemm.MultiplyAddTransposedA<TL, TV>(a, b, c, m, n, k);
        }
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
