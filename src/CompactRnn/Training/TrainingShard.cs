using System;
using CompactRnn.Models;

namespace CompactRnn.Training;

/// <summary>
/// One thread's share of a minibatch: its sequences, tape, logit gradients and parameter gradients.
/// The trainer splits a minibatch into fixed shards (by position), so the work each thread does, and the
/// order in which the shards' gradients are added, never depend on timing.
/// </summary>
internal sealed class TrainingShard
{
    private readonly float[] _dLogits;
    private readonly int[] _chunkLengths;

    private readonly LstmModel? _teacher;
    private readonly LstmNetworkTape? _teacherTape;

    public TrainingShard(LstmNetwork network, int maxSteps, int chunk, int batchSize, int featureSize, int seed, LstmModel? teacher = null)
    {
        _teacher = teacher;
        _teacherTape = teacher?.Network.CreateTape(chunk, batchSize, seed);
        Batch = new Minibatch(maxSteps, batchSize, featureSize);
        Tape = network.CreateTape(chunk, batchSize, seed);
        _dLogits = new float[Tape.Logits.Length];
        _chunkLengths = new int[batchSize];
        Gradients = new float[network.ParameterCount];
    }

    public Minibatch Batch { get; }

    public LstmNetworkTape Tape { get; }

    /// <summary>∂L/∂θ of this shard's rows for the last chunk run.</summary>
    public float[] Gradients { get; }

    /// <summary>Σ cross-entropy over this shard's counted rows of the last chunk run.</summary>
    public double LossSum { get; private set; }

    /// <summary>Counted frames (or sequences) of this shard in chunk [start, start + steps).</summary>
    public long CountFrames(bool lastFrame, int start, int steps)
    {
        if (start >= Batch.Steps)
        {
            return 0;
        }

        Batch.Targets(lastFrame, start, Math.Min(steps, Batch.Steps - start), out _, out ReadOnlySpan<float> mask);
        long counted = 0;
        foreach (float m in mask)
        {
            counted += m != 0 ? 1 : 0;
        }

        return counted;
    }

    /// <summary>
    /// Forward, cross-entropy (gradient scaled by <paramref name="scale"/> = 1 / frames of the whole minibatch)
    /// and backward for chunk [start, start + steps); then carries the state to the next chunk.
    /// </summary>
    /// <remarks>With a teacher, it runs on the same chunk (carrying its own state) and its posteriors enter the
    /// logit gradient with weight <paramref name="distillationWeight"/>; the reported loss stays the label loss.</remarks>
    public void Run(LstmNetwork network, float[] parameters, float[] cache, bool lastFrame, int start, int steps, float scale, float labelSmoothing,
        float distillationWeight)
    {
        Array.Clear(Gradients);
        LossSum = 0;
        if (start >= Batch.Steps)
        {
            return; // every sequence of this shard has ended
        }

        steps = Math.Min(steps, Batch.Steps - start);
        int b = Batch.BatchSize, f = Batch.FeatureSize, classes = network.OutputSize;
        for (int i = 0; i < b; i++)
        {
            _chunkLengths[i] = Math.Clamp(Batch.Lengths[i] - start, 0, steps);
        }

        ReadOnlySpan<float> x = Batch.Features.AsSpan(start * b * f, steps * b * f);
        network.Forward(parameters, cache, x, steps, _chunkLengths, Tape, training: true);
        int rows = Batch.Targets(lastFrame, start, steps, out ReadOnlySpan<int> targets, out ReadOnlySpan<float> mask);
        Span<float> dz = _dLogits.AsSpan(0, rows * classes);
        LossResult loss = SoftmaxCrossEntropy.Evaluate(Tape.Logits[..(rows * classes)], classes, targets, mask, dz, labelSmoothing, scale);
        LossSum = loss.Sum;
        if (_teacher is not null && _teacherTape is not null)
        {
            _teacher.Network.Forward(_teacher.Parameters, _teacher.Cache, x, steps, _chunkLengths, _teacherTape, training: false);
            DistillationLoss.AddTeacherTerm(_teacherTape.Logits[..(rows * classes)], classes, targets, mask, dz, distillationWeight, scale);
            _teacherTape.CarryFinalState(steps);
        }

        if (loss.Count > 0 && double.IsFinite(loss.Sum))
        {
            network.Backward(parameters, cache, x, steps, _chunkLengths, Tape, dz, Gradients, dInputs: []);
        }

        Tape.CarryFinalState(steps);
    }
}
