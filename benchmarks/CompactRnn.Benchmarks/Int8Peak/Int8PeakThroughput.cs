using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CompactRnn.Kernels;

namespace CompactRnn.Benchmarks.Int8Peak;

/// <summary>
/// <c>int8-peak [--rounds N]</c>: the ceiling of int8 multiply-accumulates on one core, for the limit arithmetic of the
/// int8 whole-sequence target (docs/benchmarks.md). Times, in GMAC/s (one MAC = one u8·s8 product added into int32):
/// <list type="bullet">
/// <item><c>vpmaddubsw+vpmaddwd zmm</c>: the 512-bit instruction pair the library's int8 kernel uses (64 MACs per pair),
/// twelve independent accumulators in registers, no loads;</item>
/// <item><c>vpdpbusd ymm</c>: AVX-VNNI at 256 bits (32 MACs per instruction), the widest VPDPBUSD .NET 10 exposes on
/// x86 without AVX10 (there is no 512-bit AVX512-VNNI class);</item>
/// <item><c>vfmadd zmm</c>: float32 FMA (16 MACs per instruction), for comparison with the float32 GEMM;</item>
/// <item><c>Int8Matrix, 4 rows, L2</c>: the library's own kernel (<see cref="Int8Gemv.MultiplyAddFour{TL, TV}"/> through
/// <see cref="Int8Matrix.MultiplyAddRows"/>, input rounding included) on a 512 × 1024 int8 matrix (0.5 MB, cache-resident).</item>
/// </list>
/// Each figure is the median of N rounds (default 7) of about 0.2 s; the rows alternate within a round.
/// </summary>
internal static class Int8PeakThroughput
{
    private const int Iterations = 4_000_000; // about 0.15–0.3 s per sample

    public static int Run(string[] args)
    {
        int rounds = args.Length >= 2 && args[0] == "--rounds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
        Console.WriteLine($"# {DateTime.UtcNow:u} {Environment.ProcessorCount} logical cores, {MachineDescription.Cpu()}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; load average {Training.TrainingThroughput.LoadAverage()}; medians of {rounds} rounds");
        if (!Avx512BW.IsSupported)
        {
            Console.WriteLine("# no AVX-512 BW on this host: the 512-bit rows are skipped");
        }

        var matrix = MatrixCase.Create();
        (string Name, Func<double> Run)[] cases =
        [
            ("vpmaddubsw+vpmaddwd zmm", () => Avx512BW.IsSupported ? 12.0 * 64 * Iterations / Time(() => PairLoop(Iterations)) : double.NaN),
            ("vpdpbusd ymm", () => AvxVnni.IsSupported ? 12.0 * 32 * Iterations / Time(() => VnniLoop(Iterations)) : double.NaN),
            ("vfmadd zmm (float32)", () => Avx512F.IsSupported ? 12.0 * 16 * Iterations / Time(() => FmaLoop(Iterations)) : double.NaN),
            ("Int8Matrix, 4 rows, L2", () => matrix.MacsPerPass * matrix.Passes / Time(matrix.Run)),
        ];
        double[][] samples = new double[cases.Length][];
        for (int c = 0; c < cases.Length; c++)
        {
            samples[c] = new double[rounds];
            _ = cases[c].Run(); // warm-up: the tiered JIT's final code
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int c = 0; c < cases.Length; c++)
            {
                samples[c][round] = cases[c].Run() / 1e9;
            }
        }

        Console.WriteLine("case,gmac_per_s,min,max");
        for (int c = 0; c < cases.Length; c++)
        {
            double[] sorted = [.. samples[c]];
            Array.Sort(sorted);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases[c].Name},{sorted[rounds / 2]:F1},{sorted[0]:F1},{sorted[^1]:F1}"));
        }

        return 0;
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int PairLoop(int iterations)
    {
        Vector512<byte> a0 = Vector512.Create((byte)3), a1 = a0 + Vector512<byte>.One, a2 = a1 + Vector512<byte>.One;
        Vector512<sbyte> w0 = Vector512.Create((sbyte)-2), w1 = w0 + Vector512<sbyte>.One, w2 = w1 + Vector512<sbyte>.One, w3 = w2 + Vector512<sbyte>.One;
        Vector512<short> one = Vector512<short>.One;
        Vector512<int> d0 = default, d1 = default, d2 = default, d3 = default, d4 = default, d5 = default;
        Vector512<int> d6 = default, d7 = default, d8 = default, d9 = default, d10 = default, d11 = default;
        for (int i = 0; i < iterations; i++)
        {
            d0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a0, w0), one);
            d1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a1, w0), one);
            d2 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a2, w0), one);
            d3 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a0, w1), one);
            d4 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a1, w1), one);
            d5 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a2, w1), one);
            d6 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a0, w2), one);
            d7 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a1, w2), one);
            d8 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a2, w2), one);
            d9 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a0, w3), one);
            d10 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a1, w3), one);
            d11 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a2, w3), one);
        }

        return Vector512.Sum(d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9 + d10 + d11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int VnniLoop(int iterations)
    {
        Vector256<byte> a0 = Vector256.Create((byte)3), a1 = a0 + Vector256<byte>.One, a2 = a1 + Vector256<byte>.One;
        Vector256<sbyte> w0 = Vector256.Create((sbyte)-2), w1 = w0 + Vector256<sbyte>.One, w2 = w1 + Vector256<sbyte>.One, w3 = w2 + Vector256<sbyte>.One;
        Vector256<int> d0 = default, d1 = default, d2 = default, d3 = default, d4 = default, d5 = default;
        Vector256<int> d6 = default, d7 = default, d8 = default, d9 = default, d10 = default, d11 = default;
        for (int i = 0; i < iterations; i++)
        {
            d0 = AvxVnni.MultiplyWideningAndAdd(d0, a0, w0);
            d1 = AvxVnni.MultiplyWideningAndAdd(d1, a1, w0);
            d2 = AvxVnni.MultiplyWideningAndAdd(d2, a2, w0);
            d3 = AvxVnni.MultiplyWideningAndAdd(d3, a0, w1);
            d4 = AvxVnni.MultiplyWideningAndAdd(d4, a1, w1);
            d5 = AvxVnni.MultiplyWideningAndAdd(d5, a2, w1);
            d6 = AvxVnni.MultiplyWideningAndAdd(d6, a0, w2);
            d7 = AvxVnni.MultiplyWideningAndAdd(d7, a1, w2);
            d8 = AvxVnni.MultiplyWideningAndAdd(d8, a2, w2);
            d9 = AvxVnni.MultiplyWideningAndAdd(d9, a0, w3);
            d10 = AvxVnni.MultiplyWideningAndAdd(d10, a1, w3);
            d11 = AvxVnni.MultiplyWideningAndAdd(d11, a2, w3);
        }

        return Vector256.Sum(d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9 + d10 + d11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaLoop(int iterations)
    {
        Vector512<float> a = Vector512.Create(1.0001f), b = Vector512.Create(0.5f);
        Vector512<float> d0 = default, d1 = default, d2 = default, d3 = default, d4 = default, d5 = default;
        Vector512<float> d6 = default, d7 = default, d8 = default, d9 = default, d10 = default, d11 = default;
        for (int i = 0; i < iterations; i++)
        {
            d0 = Avx512F.FusedMultiplyAdd(a, b, d0);
            d1 = Avx512F.FusedMultiplyAdd(a, b, d1);
            d2 = Avx512F.FusedMultiplyAdd(a, b, d2);
            d3 = Avx512F.FusedMultiplyAdd(a, b, d3);
            d4 = Avx512F.FusedMultiplyAdd(a, b, d4);
            d5 = Avx512F.FusedMultiplyAdd(a, b, d5);
            d6 = Avx512F.FusedMultiplyAdd(a, b, d6);
            d7 = Avx512F.FusedMultiplyAdd(a, b, d7);
            d8 = Avx512F.FusedMultiplyAdd(a, b, d8);
            d9 = Avx512F.FusedMultiplyAdd(a, b, d9);
            d10 = Avx512F.FusedMultiplyAdd(a, b, d10);
            d11 = Avx512F.FusedMultiplyAdd(a, b, d11);
        }

        return Vector512.Sum(d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9 + d10 + d11);
    }

    /// <summary>The library's int8 matrix against four input rows, passes repeated over the same cache-resident weights.</summary>
    private sealed class MatrixCase(Int8Matrix matrix, float[] inputs, float[] outputs)
    {
        private const int Rows = 512, Columns = 1024;

        public int Passes => 16_000; // about 0.2 s

        public double MacsPerPass => 4.0 * Rows * Columns;

        public static MatrixCase Create()
        {
            var random = new Random(1);
            float[] weights = new float[Rows * Columns], inputs = new float[4 * Columns];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (float)(random.NextDouble() - 0.5);
            }

            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = (float)random.NextDouble();
            }

            return new MatrixCase(new Int8Matrix(Rows, weights, Columns, [], 0), inputs, new float[4 * Rows]);
        }

        public void Run()
        {
            for (int pass = 0; pass < Passes; pass++)
            {
                matrix.MultiplyAddRows(inputs, Columns, outputs, Rows, 4);
            }
        }
    }
}
