using System;
using BenchmarkDotNet.Attributes;
using CompactRnn.Kernels;

namespace CompactRnn.Benchmarks;

/// <summary>
/// One in-place complex FFT of length N, widest lanes against the scalar path (lane cap 1). N = 257 goes
/// through Bluestein, 1000 through radices 4·2·5·5·5. Each call first copies the input back (O(N)).
/// Run: <c>dotnet run -c Release --project benchmarks/CompactRnn.Benchmarks -- --filter '*FftBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class FftBenchmarks
{
    private FftPlan _plan = null!;
    private float[] _sourceRe = [];
    private float[] _sourceIm = [];
    private float[] _re = [];
    private float[] _im = [];
    private float[] _scratch = [];

    /// <summary>Transform length.</summary>
    [Params(257, 1000, 1024, 2048)]
    public int Length { get; set; }

    /// <summary>Builds the plan and a seeded input.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _plan = FftPlan.ForLength(Length);
        var random = new Random(1);
        _sourceRe = new float[Length];
        _sourceIm = new float[Length];
        for (int i = 0; i < Length; i++)
        {
            _sourceRe[i] = (float)random.NextDouble();
        }

        _re = new float[Length];
        _im = new float[Length];

        _scratch = new float[_plan.ScratchLength];
    }

    /// <summary>Widest available lanes.</summary>
    [Benchmark(Baseline = true)]
    public float Vectorised()
    {
        Reset();
        _plan.Transform(_re, _im, _scratch, int.MaxValue);
        return _re[0];
    }

    /// <summary>Scalar path.</summary>
    [Benchmark]
    public float Scalar()
    {
        Reset();
        _plan.Transform(_re, _im, _scratch, 1);
        return _re[0];
    }

    /// <summary>Restores the input (an O(N) copy) so repeated transforms do not overflow.</summary>
    private void Reset()
    {
        _sourceRe.CopyTo(_re, 0);
        _sourceIm.CopyTo(_im, 0);
    }
}
