using System;
using BenchmarkDotNet.Attributes;
using CompactRnn.Kernels;

namespace CompactRnn.Benchmarks;

/// <summary>
/// The three accumulating GEMM shapes of <see cref="Gemm"/> on training- and streaming-sized problems.
/// </summary>
/// <remarks>
/// <para><c>Size</c> is <c>M×N×K</c>: C is [M, N] and K is the shared dimension, so each call costs
/// <c>2·M·N·K</c> flops (GFLOP/s = 2·M·N·K / mean time in ns). For the three shapes the operands are
/// <c>TransposedB</c>: A[M, K], B[N, K] (forward <c>Y += X·Wᵀ</c>); <c>Plain</c>: A[M, K], B[K, N]
/// (<c>dX += dY·W</c>); <c>TransposedA</c>: A[K, M], B[K, N] (<c>dW += dYᵀ·X</c>).</para>
/// <para>Cases: 1024×1024×1024 (square sgemm); 4096×512×32 (a weight gradient of a 4·1024 × 512 gate block
/// over a batch of 32, the training shape of issue 6); 32×4096×512 (the same block's forward over the batch);
/// 1×4096×512 and 1×2048×1024 (batch-1 streaming GEMV, bound by reading B once from cache or memory).</para>
/// <para>Run: <c>dotnet run -c Release --project benchmarks/CompactRnn.Benchmarks -- --filter '*GemmBenchmarks*'</c>.</para>
/// </remarks>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private int _m;
    private int _n;
    private int _k;

    /// <summary>M×N×K (see the class remarks).</summary>
    [Params("1024x1024x1024", "4096x512x32", "32x4096x512", "1x4096x512", "1x2048x1024")]
    public string Size { get; set; } = "1024x1024x1024";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Size.Split('x');
        _m = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        _n = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        _k = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(42);
        _a = RandomArray(random, _m * _k);
        _b = RandomArray(random, _n * _k);
        _c = new float[_m * _n];
    }

    /// <summary><c>C[M, N] += A[M, K]·B[N, K]ᵀ</c>.</summary>
    [Benchmark(Baseline = true)]
    public float TransposedB()
    {
        Gemm.MultiplyAddTransposedB(_a, _b, _c, _m, _n, _k);

        return _c[0];
    }

    /// <summary><c>C[M, N] += A[M, K]·B[K, N]</c>.</summary>
    [Benchmark]
    public float Plain()
    {
        Gemm.MultiplyAdd(_a, _b, _c, _m, _n, _k);

        return _c[0];
    }

    /// <summary><c>C[M, N] += A[K, M]ᵀ·B[K, N]</c>.</summary>
    [Benchmark]
    public float TransposedA()
    {
        Gemm.MultiplyAddTransposedA(_a, _b, _c, _m, _n, _k);

        return _c[0];
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
