using System;
using BenchmarkDotNet.Attributes;
using CompactRnn.Models;
using CompactRnn.Training;

namespace CompactRnn.Benchmarks;

/// <summary>
/// Streaming step (batch 1, carried state) and training step (batch 32 × 20 frames: forward, softmax
/// cross-entropy, BPTT, Adam) for the two anchor shapes, dense and hybrid.
/// </summary>
[MemoryDiagnoser]
public class LstmBenchmarks
{
    private const int Batch = 32, Steps = 20;
    private StreamingSession _session = null!;
    private float[] _frame = null!, _output = null!;
    private LstmNetwork _network = null!;
    private LstmNetworkTape _tape = null!;
    private float[] _parameters = null!, _cache = null!, _gradients = null!, _inputs = null!, _dLogits = null!;
    private int[] _targets = null!;
    private AdamOptimizer _optimizer = null!;

    /// <summary>The shape: <c>lstm-h512</c> (1 layer, 40 inputs) or <c>lstmp-h1024-p512</c> (3 layers).</summary>
    [Params("lstm-h512", "lstmp-h1024-p512")]
    public string Shape { get; set; } = "lstm-h512";

    /// <summary>The gate matrices: <c>dense</c>, or the hybrid at about a quarter of the parameters.</summary>
    [Params("dense", "hybrid")]
    public string Kind { get; set; } = "dense";

    /// <summary>Output classes (10, or 2000 as in a senone-sized output layer).</summary>
    [Params(10, 2000)]
    public int Classes { get; set; } = 10;

    /// <summary>Builds the model, a streaming session and a training minibatch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        LstmNetworkOptions options = BenchmarkModels.Options(Shape, Kind, Classes);
        _network = new LstmNetwork(options);
        _parameters = new float[_network.ParameterCount];
        _network.Initialize(_parameters, seed: 1);
        _session = new LstmModel(_network, _parameters).CreateSession();
        _frame = new float[options.InputSize];
        _output = new float[Classes];
        _cache = new float[_network.CacheSize];
        _network.Prepare(_parameters, _cache);
        _tape = _network.CreateTape(Steps, Batch);
        _gradients = new float[_network.ParameterCount];
        var random = new Random(2);
        _inputs = new float[Steps * Batch * options.InputSize];
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = (float)random.NextDouble();
        }

        _targets = new int[Steps * Batch];
        for (int i = 0; i < _targets.Length; i++)
        {
            _targets[i] = random.Next(Classes);
        }

        _dLogits = new float[Steps * Batch * Classes];
        _optimizer = new AdamOptimizer(_network.ParameterCount, new ConstantSchedule(1e-4f));
    }

    /// <summary>One frame through the whole stack with carried state.</summary>
    [Benchmark]
    public float StreamingStep()
    {
        _session.Step(_frame, _output);
        return _output[0];
    }

    /// <summary>Forward, cross-entropy, backward and an Adam update for 32 sequences of 20 frames.</summary>
    [Benchmark]
    public double TrainingStep()
    {
        Array.Clear(_gradients);
        _tape.ResetState();
        _network.Forward(_parameters, _cache, _inputs, Steps, [], _tape, training: true);
        LossResult loss = SoftmaxCrossEntropy.Evaluate(_tape.Logits, Classes, _targets, [], _dLogits);
        _network.Backward(_parameters, _cache, _inputs, Steps, [], _tape, _dLogits, _gradients, []);
        GradientClipping.ClipGlobalNorm(_gradients, 5f);
        _optimizer.Step(_parameters, _gradients);
        _network.Prepare(_parameters, _cache);
        return loss.Sum;
    }
}
