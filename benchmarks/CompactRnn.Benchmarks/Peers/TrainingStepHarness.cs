using System;
using System.Numerics.Tensors;
using CompactRnn.Models;
using CompactRnn.Threading;
using CompactRnn.Training;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// One CompactRnn training step as the TorchSharp peer runs it: forward over batch 32 × 20 frames, softmax
/// cross-entropy on every frame, backward through time, and a plain SGD update.
/// With 2 threads it runs what <see cref="TrainerOptions.Threads"/> = 2 runs in <see cref="BpttTrainer"/>: the
/// minibatch in two fixed halves (<see cref="TrainingShard"/>s of 16 sequences), forward, loss and backward of
/// each half on its own thread, the two gradients added in a fixed order, then the update.
/// </summary>
internal sealed class TrainingStepHarness : IDisposable
{
    private const float LearningRate = 0.01f;

    private readonly LstmNetwork _network;
    private readonly float[] _parameters;
    private readonly float[] _cache;
    private readonly float[] _gradients;
    private readonly LstmNetworkTape _tape;
    private readonly float[] _inputs;
    private readonly int[] _targets;
    private readonly float[] _logitGradients;
    private readonly TrainingShard[] _shards = [];
    private readonly DedicatedWorker<ShardJob>? _worker;

    public TrainingStepHarness(int seed, int threads = 1, LstmNetworkOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 2);
        Threads = threads;
        _network = new LstmNetwork(options ?? PeerCases.Training);
        _parameters = new float[_network.ParameterCount];
        _network.Initialize(_parameters, seed);
        _cache = new float[_network.CacheSize];
        _network.Prepare(_parameters, _cache);
        _gradients = new float[_network.ParameterCount];
        _tape = _network.CreateTape(PeerCases.TrainingSteps, PeerCases.TrainingBatch, seed);
        _inputs = RandomData.Uniform(PeerCases.TrainingSteps * PeerCases.TrainingBatch * PeerCases.InputSize, seed);
        _targets = new int[PeerCases.TrainingSteps * PeerCases.TrainingBatch];
        var random = new Random(seed);
        for (int k = 0; k < _targets.Length; k++)
        {
            _targets[k] = random.Next(PeerCases.TrainingClasses);
        }

        _logitGradients = new float[_targets.Length * PeerCases.TrainingClasses];
        if (threads == 2)
        {
            const int half = PeerCases.TrainingBatch / 2;
            var data = new RandomSequenceDataset(PeerCases.TrainingBatch, PeerCases.TrainingSteps, PeerCases.InputSize, PeerCases.TrainingClasses, seed);
            int[] indices = [.. System.Linq.Enumerable.Range(0, PeerCases.TrainingBatch)];
            _shards =
            [
                new TrainingShard(_network, PeerCases.TrainingSteps, PeerCases.TrainingSteps, half, PeerCases.InputSize, seed),
                new TrainingShard(_network, PeerCases.TrainingSteps, PeerCases.TrainingSteps, half, PeerCases.InputSize, seed + 1),
            ];
            _shards[0].Batch.Load(data, indices.AsSpan(0, half), sequenceLabels: false);
            _shards[1].Batch.Load(data, indices.AsSpan(half, half), sequenceLabels: false);
            _worker = new DedicatedWorker<ShardJob>("CompactRnn training shard");
        }
    }

    /// <summary>Builds the harness for <paramref name="threads"/> (1 or 2) and a training case of <see cref="PeerCases.TrainingCaseNames"/>.</summary>
    public static TrainingStepHarness Create(int seed, int threads, string caseName = "lstm-h512") => new(seed, threads, PeerCases.TrainingOptions(caseName));

    /// <summary>1, or 2 for the trainer's two-shard split.</summary>
    public int Threads { get; }

    /// <summary>The mean loss of the last step.</summary>
    public float LastLoss { get; private set; }

    public void Step()
    {
        if (Threads == 2)
        {
            StepOnTwoThreads();
            return;
        }

        _network.Forward(_parameters, _cache, _inputs, PeerCases.TrainingSteps, [], _tape, training: true);
        LastLoss = SoftmaxCrossEntropy(_tape.Logits, _targets, PeerCases.TrainingClasses, _logitGradients);
        Array.Clear(_gradients);
        _network.Backward(_parameters, _cache, _inputs, PeerCases.TrainingSteps, [], _tape, _logitGradients, _gradients, []);
        TensorPrimitives.MultiplyAdd(_gradients, -LearningRate, _parameters, _parameters); // θ ← θ − η ∇θ
        _network.Prepare(_parameters, _cache);
    }

    public void Dispose() => _worker?.Dispose();

    /// <summary>BpttTrainer's minibatch update with two shards (full BPTT, one chunk of all 20 frames, no clipping).</summary>
    private void StepOnTwoThreads()
    {
        TrainingShard first = _shards[0], second = _shards[1];
        first.Tape.ResetState();
        second.Tape.ResetState();
        float scale = 1f / (PeerCases.TrainingBatch * PeerCases.TrainingSteps);
        _worker!.Begin(new ShardJob(second, _network, _parameters, _cache, LastFrame: false, 0, PeerCases.TrainingSteps, scale, 0f, 0f));
        first.Run(_network, _parameters, _cache, lastFrame: false, 0, PeerCases.TrainingSteps, scale, 0f, 0f);
        _worker.End();
        TensorPrimitives.Add(first.Gradients, second.Gradients, first.Gradients); // fixed order: deterministic
        LastLoss = (float)((first.LossSum + second.LossSum) * scale);
        TensorPrimitives.MultiplyAdd(first.Gradients, -LearningRate, _parameters, _parameters); // θ ← θ − η ∇θ
        _network.Prepare(_parameters, _cache);
    }

    /// <summary>
    /// Mean softmax cross-entropy over rows, L = −(1/N) Σ_n log softmax(z_n)[y_n], and its gradient
    /// ∂L/∂z_n = (softmax(z_n) − onehot(y_n)) / N written to <paramref name="gradients"/>.
    /// </summary>
    private static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int classes, Span<float> gradients)
    {
        float scale = 1f / targets.Length;
        double loss = 0;
        for (int n = 0; n < targets.Length; n++)
        {
            ReadOnlySpan<float> z = logits.Slice(n * classes, classes);
            Span<float> dz = gradients.Slice(n * classes, classes);
            TensorPrimitives.SoftMax(z, dz);
            loss -= Math.Log(Math.Max(dz[targets[n]], 1e-30f));
            dz[targets[n]] -= 1f;
            TensorPrimitives.Multiply(dz, scale, dz);
        }

        return (float)(loss * scale);
    }
}
