using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Training;

namespace CompactRnn.Benchmarks.Toeplitz;

/// <summary>
/// Old (FFT at every batch size) against new (dense form from the threshold on) for Toeplitz-like gate matrices,
/// measured back to back in one process: <c>tl-threshold</c> times one forward and one accumulating backward call
/// per batch size and shape; <c>tl-train-step</c> times whole training steps (forward, softmax cross-entropy, BPTT,
/// Adam, Prepare) of a 3-layer LSTMP h192 p96 at batch 32 × 200 frames.
/// </summary>
internal static class ToeplitzPathComparison
{
    private const int FeatureSize = 40, Classes = 120, Batch = 32, Frames = 200;

    /// <summary>Per-call times of both paths over batch sizes; prints CSV.</summary>
    public static int RunThreshold()
    {
        Console.WriteLine("kind,m,n,r,batch,fft_us,dense_us,ratio");
        CallMicroseconds(false, 768, 96, 1, 4, int.MaxValue); // JIT warm-up of both paths before anything is timed
        CallMicroseconds(true, 768, 96, 1, 4, 1);
        foreach ((bool stacked, int m, int n, int r) in new[] { (false, 768, 96, 1), (false, 768, 96, 5), (true, 768, 96, 5), (false, 1024, 256, 4), (false, 2048, 512, 1), (false, 2048, 512, 4), (false, 2048, 512, 16), (true, 2048, 512, 4) })
        {
            foreach (int batch in new[] { 1, 4, 16, 64 })
            {
                double fft = CallMicroseconds(stacked, m, n, r, batch, int.MaxValue);
                double dense = CallMicroseconds(stacked, m, n, r, batch, 1);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(stacked ? "toeplitz-stacked" : "toeplitz")},{m},{n},{r},{batch},{fft:F1},{dense:F1},{fft / dense:F2}"));
            }
        }

        return 0;
    }

    /// <summary>Training-step times, old path against new, dense model for reference; prints one line per model.</summary>
    public static int RunTrainingStep(int repetitions)
    {
        Console.WriteLine("model,params,old_s,new_s,old/new,dense_s,new/dense");
        GateMatrixSpec[] specs = [new("toeplitz", 1), new("toeplitz", 5), new("toeplitz-stacked", 5)];
        var dense = new GateMatrixSpec("dense");
        StepSeconds(dense, fftOnly: false, 1); // JIT warm-up of every path before anything is timed
        StepSeconds(specs[1], fftOnly: true, 1);
        double[] denseSeconds = new double[repetitions];
        double[,] old = new double[specs.Length, repetitions], now = new double[specs.Length, repetitions];
        for (int k = 0; k < repetitions; k++)
        {
            denseSeconds[k] = StepSeconds(dense, fftOnly: false, 1);
            for (int s = 0; s < specs.Length; s++)
            {
                old[s, k] = StepSeconds(specs[s], fftOnly: true, 1);
                now[s, k] = StepSeconds(specs[s], fftOnly: false, 1);
            }
        }

        double d = Median(denseSeconds);
        for (int s = 0; s < specs.Length; s++)
        {
            double o = Median(Enumerable.Range(0, repetitions).Select(k => old[s, k]).ToArray());
            double n = Median(Enumerable.Range(0, repetitions).Select(k => now[s, k]).ToArray());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{specs[s]},{new LstmNetwork(Options(specs[s])).ParameterCount},{o:F3},{n:F3},{o / n:F2},{d:F3},{n / d:F2}"));
        }

        return 0;
    }

    private static double CallMicroseconds(bool stacked, int m, int n, int r, int batch, int threshold)
    {
        GateMatrix matrix = stacked
            ? new StackedToeplitzLikeGateMatrix(m, n, r) { DenseBatchThreshold = threshold }
            : new ToeplitzLikeGateMatrix(m, n, r) { DenseBatchThreshold = threshold };
        var random = new Random(1);
        float[] parameters = new float[matrix.ParameterCount];
        matrix.Initialize(parameters, random);
        float[] cache = new float[matrix.CacheSize];
        matrix.Prepare(parameters, cache);
        float[] x = Enumerable.Range(0, batch * n).Select(_ => (float)random.NextDouble()).ToArray();
        float[] dy = Enumerable.Range(0, batch * m).Select(_ => (float)random.NextDouble()).ToArray();
        float[] y = new float[batch * m], dx = new float[batch * n], dTheta = new float[matrix.ParameterCount];
        float[] workspace = new float[matrix.WorkspaceSize(batch)];
        float[] state = new float[matrix.BackwardStateSize(batch)];
        var weights = new GateMatrixWeights(parameters, cache);
        int iterations = 0;
        var clock = Stopwatch.StartNew();
        GateMatrixBackwardSession session = matrix.BeginBackward(weights, dTheta, batch, state, workspace);
        while (clock.Elapsed.TotalMilliseconds < 150 || iterations < 3)
        {
            matrix.Forward(weights, x, batch, y, workspace);
            session.Step(x, dy, batch, dx); // the per-step part; the projection is once per pass
            iterations++;
        }

        session.Finish();
        return clock.Elapsed.TotalMicroseconds / iterations;
    }

    private static LstmNetworkOptions Options(GateMatrixSpec spec)
    {
        LstmLayerOptions Layer() => new() { HiddenSize = 192, ProjectionSize = 96, Peepholes = true, Input = spec, Recurrent = spec };
        return new LstmNetworkOptions { InputSize = FeatureSize, Layers = [Layer(), Layer(), Layer()], OutputSize = Classes };
    }

    /// <summary>Median seconds per training step over <paramref name="steps"/> timed steps after one warm-up step.</summary>
    private static double StepSeconds(GateMatrixSpec spec, bool fftOnly, int steps)
    {
        var network = new LstmNetwork(Options(spec), denseForms: !fftOnly);
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, 3);
        float[] cache = new float[network.CacheSize];
        network.Prepare(parameters, cache);
        float[] gradients = new float[network.ParameterCount];
        var optimizer = new AdamOptimizer(network.ParameterCount, new ConstantSchedule(1e-3f));
        LstmNetworkTape tape = network.CreateTape(Frames, Batch);
        var random = new Random(5);
        float[] inputs = Enumerable.Range(0, Frames * Batch * FeatureSize).Select(_ => (float)((2 * random.NextDouble()) - 1)).ToArray();
        int[] targets = Enumerable.Range(0, Frames * Batch).Select(_ => random.Next(Classes)).ToArray();
        float[] mask = Enumerable.Repeat(1f, targets.Length).ToArray();
        float[] dLogits = new float[targets.Length * Classes];
        void Step()
        {
            tape.ResetState();
            network.Forward(parameters, cache, inputs, Frames, [], tape, training: true);
            SoftmaxCrossEntropy.Evaluate(tape.Logits, Classes, targets, mask, dLogits, 0f, 1f / targets.Length);
            Array.Clear(gradients);
            network.Backward(parameters, cache, inputs, Frames, [], tape, dLogits, gradients, []);
            optimizer.Step(parameters, gradients);
            network.Prepare(parameters, cache);
        }

        Step();
        double[] seconds = new double[steps];
        for (int k = 0; k < steps; k++)
        {
            var clock = Stopwatch.StartNew();
            Step();
            seconds[k] = clock.Elapsed.TotalSeconds;
        }

        return Median(seconds);
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
    }
}
