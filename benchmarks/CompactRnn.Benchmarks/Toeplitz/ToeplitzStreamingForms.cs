using System;
using System.Diagnostics;
using System.Globalization;
using CompactRnn.GateMatrices;
using CompactRnn.Kernels;

namespace CompactRnn.Benchmarks.Toeplitz;

/// <summary>
/// <c>tl-stream-forms [repetitions]</c>: one batch-1 product of a Toeplitz-like gate stack, the streaming case, through each
/// form, interleaved in one process: the skew FFT path (r + 2 transforms), the circulant inference form
/// (⌈(r+1)/2⌉ + 1 transforms plus correlations, <see cref="CirculantToeplitzLikeGateMatrix"/>), and the dense m×n matrix of
/// the same shape as a packed float32 GEMV (what packing the dense form would run, at m·n floats of memory). Prints the
/// minimum over repetitions of the mean over a batch of calls, in µs.
/// </summary>
internal static class ToeplitzStreamingForms
{
    public static int Run(int repetitions)
    {
        Console.WriteLine("m,n,r,skew_us,circulant_us,dense_packed_us,circulant_pays,param_floats,circulant_cache_floats,dense_floats");
        foreach ((int m, int n, int r) in new[] { (512, 40, 4), (512, 64, 4), (768, 40, 4), (768, 96, 4), (1024, 40, 4), (1024, 128, 4), (768, 96, 1), (768, 192, 4), (1024, 256, 4), (1024, 1024, 4) })
        {
            var skew = new ToeplitzLikeGateMatrix(m, n, r, denseForm: false);
            var circulant = new CirculantToeplitzLikeGateMatrix(skew);
            var random = new Random(m + n + r);
            float[] parameters = new float[skew.ParameterCount];
            skew.Initialize(parameters, random);
            float[] skewCache = new float[skew.CacheSize], circulantCache = new float[circulant.CacheSize];
            skew.Prepare(parameters, skewCache);
            circulant.Prepare(parameters, circulantCache);
            float[] dense = new float[m * n];
            skew.ToDense(parameters, dense);
            var packed = new Float32StreamingMatrix(m, dense, n, [], 0);
            float[] x = new float[packed.PaddedColumns], y = new float[m];
            for (int k = 0; k < n; k++)
            {
                x[k] = (float)random.NextDouble();
            }

            float[] skewWork = new float[skew.WorkspaceSize(1)], circulantWork = new float[circulant.WorkspaceSize(1)];
            Action[] forms =
            [
                () => skew.Forward(new GateMatrixWeights(parameters, skewCache), x.AsSpan(0, n), 1, y, skewWork),
                () => circulant.Forward(new GateMatrixWeights(parameters, circulantCache), x.AsSpan(0, n), 1, y, circulantWork),
                () => packed.MultiplyAdd(x, y),
            ];
            double[] best = [double.MaxValue, double.MaxValue, double.MaxValue];
            for (int rep = 0; rep < repetitions; rep++)
            {
                for (int f = 0; f < forms.Length; f++)
                {
                    best[f] = Math.Min(best[f], Time(forms[f], rep == 0 ? 50 : 400));
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m},{n},{r},{best[0]:F2},{best[1]:F2},{best[2]:F2},{CirculantToeplitzLikeGateMatrix.Pays(skew)},{skew.ParameterCount},{circulant.CacheSize},{m * n}"));
        }

        return 0;
    }

    private static double Time(Action call, int calls)
    {
        var clock = Stopwatch.StartNew();
        for (int k = 0; k < calls; k++)
        {
            call();
        }

        return clock.Elapsed.TotalMicroseconds / calls;
    }
}
