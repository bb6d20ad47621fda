using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using CompactRnn.GateMatrices;

// One line per case: the median over rounds of the mean microseconds per call within a round.
// Usage: SimdTiming <rounds>   (each round runs every case for ~200 ms after a warm-up)
int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
var cases = new (string Name, Action Run)[]
{
    ("gemm X·Wᵀ 32×1024×1024 (dense forward)", DenseForward(1024, 1024, 32)),
    ("gemm dW+dX 32×1024×1024 (dense backward)", DenseBackward(1024, 1024, 32)),
    ("gemv 1×2048×512 (dense forward, batch 1)", DenseForward(2048, 512, 1)),
    ("fft toeplitz 2048×512 r=1 forward, batch 4", ToeplitzForward(2048, 512, 1, 4)),
    ("fft toeplitz 1024×1024 r=4 forward, batch 2", ToeplitzForward(1024, 1024, 4, 2)),
};
var samples = cases.Select(_ => new double[rounds]).ToArray();
foreach (var c in cases) { for (int i = 0; i < 20; i++) { c.Run(); } }
for (int round = 0; round < rounds; round++)
{
    for (int k = 0; k < cases.Length; k++)
    {
        int iterations = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalMilliseconds < 200) { cases[k].Run(); iterations++; }
        samples[k][round] = clock.Elapsed.TotalMicroseconds / iterations;
    }
}

for (int k = 0; k < cases.Length; k++)
{
    double[] sorted = samples[k].OrderBy(v => v).ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases[k].Name}\t{sorted[sorted.Length / 2]:F1}"));
}

static float[] Random(int length, int seed)
{
    var random = new Random(seed);
    return Enumerable.Range(0, length).Select(_ => (float)((2 * random.NextDouble()) - 1)).ToArray();
}

static Action DenseForward(int m, int n, int batch)
{
    var matrix = new DenseGateMatrix(m, n);
    float[] w = Random(matrix.ParameterCount, 1), x = Random(batch * n, 2), y = new float[batch * m];
    return () => matrix.Forward(new GateMatrixWeights(w, []), x, batch, y, []);
}

static Action DenseBackward(int m, int n, int batch)
{
    var matrix = new DenseGateMatrix(m, n);
    float[] w = Random(matrix.ParameterCount, 1), x = Random(batch * n, 2), dy = Random(batch * m, 3);
    float[] dw = new float[w.Length], dx = new float[x.Length];
    return () => matrix.Backward(new GateMatrixWeights(w, []), x, dy, batch, dw, dx, []);
}

static Action ToeplitzForward(int m, int n, int r, int batch)
{
    var matrix = new ToeplitzLikeGateMatrix(m, n, r);
    float[] p = new float[matrix.ParameterCount];
    matrix.Initialize(p, new Random(1));
    float[] cache = new float[matrix.CacheSize];
    matrix.Prepare(p, cache);
    float[] x = Random(batch * n, 2), y = new float[batch * m], workspace = new float[matrix.WorkspaceSize(batch)];
    return () => matrix.Forward(new GateMatrixWeights(p, cache), x, batch, y, workspace);
}
