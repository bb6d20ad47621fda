using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics.Tensors;
using System.Threading;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Threading;

namespace CompactRnn.Training;

/// <summary>
/// Trains an <see cref="LstmNetwork"/> with cross-entropy by hand-written backpropagation through
/// time: per update, zero gradients → forward → loss → backward → non-finite check → global-norm
/// clip → optimiser step → refresh the cache. Full or truncated BPTT, validation each epoch, early
/// stopping with best-model keeping, atomic checkpoints, progress and cancellation.
/// </summary>
/// <remarks>
/// Deterministic: with the same seed and data, runs are bit-identical (single-threaded arithmetic in a
/// fixed order). Nothing is allocated per update after the first minibatch.
/// </remarks>
public sealed class BpttTrainer
{
    private readonly LstmNetwork _network;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;
    private readonly float[] _cache;
    private readonly bool _lastFrame;
    private TrainerCheckpointState? _resumed;
    private float[]? _resumedBest;

    /// <summary>Prepares a trainer that updates <paramref name="parameters"/> in place.</summary>
    /// <param name="network">The network; it must have an output layer.</param>
    /// <param name="parameters">The flat parameter buffer, updated in place (and, at the end, set to the best epoch's values when validating).</param>
    /// <param name="optimizer">An optimiser built for <see cref="LstmNetwork.ParameterCount"/> parameters; unless
    /// <see cref="TrainerOptions.BlockLearningRates"/> is off, it is given the network's block scales.</param>
    /// <param name="options">Run settings; validated.</param>
    public BpttTrainer(LstmNetwork network, float[] parameters, Optimizer optimizer, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (network.OutputMatrix is null)
        {
            throw new ArgumentException("The trainer needs a network with an output layer (OutputSize > 0).", nameof(network));
        }

        if (parameters.Length != network.ParameterCount || optimizer.ParameterCount != network.ParameterCount)
        {
            throw new ArgumentException($"The network has {network.ParameterCount} parameters; got a buffer of {parameters.Length} and an optimiser for {optimizer.ParameterCount}.", nameof(parameters));
        }

        if (options.Teacher is { } teacher)
        {
            LstmNetworkOptions mine = network.Options, theirs = teacher.Network.Options;
            if (theirs.InputSize != mine.InputSize || theirs.OutputSize != mine.OutputSize || theirs.OutputMode != mine.OutputMode)
            {
                throw new ArgumentException(
                    $"The teacher maps {theirs.InputSize} features to {theirs.OutputSize} classes ({theirs.OutputMode}); the network maps {mine.InputSize} to {mine.OutputSize} ({mine.OutputMode}).",
                    nameof(options));
            }
        }

        _network = network;
        Parameters = parameters;
        _optimizer = optimizer;
        if (options.BlockLearningRates)
        {
            optimizer.UseBlockScales(network.ParameterBlocks);
        }

        _options = options;
        _cache = new float[network.CacheSize];
        _lastFrame = network.Options.OutputMode == OutputMode.LastFrame;
    }

    /// <summary>The parameters being trained (the caller's buffer).</summary>
    public float[] Parameters { get; }

    /// <summary>Parameter updates applied so far.</summary>
    public long Updates { get; private set; }

    /// <summary>
    /// Continues the run that wrote <paramref name="checkpoint"/> (see <see cref="TrainerOptions.CheckpointPath"/>): copies its
    /// parameters into <see cref="Parameters"/>, restores the optimiser's state and step count (so the schedule resumes where
    /// it stopped), and makes the next <see cref="Train"/> start at the epoch after the saved one with the saved history and
    /// best-epoch state. Shuffling and dropout are derived from (seed, epoch), so with the same data the continued run is
    /// bit-identical to one that was never interrupted.
    /// </summary>
    /// <param name="checkpoint">A checkpoint written by a trainer of the same network, optimiser and settings.</param>
    /// <exception cref="ArgumentException">The checkpoint is for another network, optimiser, schedule or setting; the message names it.</exception>
    /// <exception cref="System.IO.InvalidDataException">The checkpoint's trainer state is missing or malformed.</exception>
    public void Resume(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!checkpoint.Model.Configuration.AsSpan().SequenceEqual(NetworkOptionsJson.Write(_network.Options)))
        {
            throw new ArgumentException("The checkpoint was written for a network with another configuration.", nameof(checkpoint));
        }

        TrainerCheckpointState state = TrainerCheckpointState.Parse(checkpoint.TrainerState);
        RequireSame(state.Seed, _options.Seed, nameof(TrainerOptions.Seed));
        RequireSame(state.BatchSize, _options.BatchSize, nameof(TrainerOptions.BatchSize));
        RequireSame(state.ChunkLength, _options.ChunkLength, nameof(TrainerOptions.ChunkLength));
        RequireSame(state.Threads, _options.Threads, nameof(TrainerOptions.Threads));
        RequireSame(state.ClipNorm, _options.ClipNorm, nameof(TrainerOptions.ClipNorm));
        RequireSame(state.LabelSmoothing, _options.LabelSmoothing, nameof(TrainerOptions.LabelSmoothing));
        RequireSame(state.DistillationWeight, _options.DistillationWeight, nameof(TrainerOptions.DistillationWeight));
        RequireSame(state.BlockLearningRates, _options.BlockLearningRates, nameof(TrainerOptions.BlockLearningRates));
        _optimizer.RestoreState(checkpoint.Optimizer);
        float rate = _optimizer.Schedule.GetRate(_optimizer.StepCount);
        if (BitConverter.SingleToInt32Bits(rate) != BitConverter.SingleToInt32Bits(state.NextRate))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The optimiser's schedule gives the rate {rate} at update {_optimizer.StepCount}; the checkpointed run would use {state.NextRate}: build the schedule as the original run did (same rate and length)."),
                nameof(checkpoint));
        }

        checkpoint.Model.Parameters.CopyTo(Parameters, 0);
        Updates = state.Updates;
        _resumed = state;
        _resumedBest = checkpoint.BestParameters is { } best ? (float[])best.Clone() : null;
    }

    private static void RequireSame<T>(T saved, T current, string option)
        where T : IEquatable<T>
    {
        if (!saved.Equals(current))
        {
            throw new ArgumentException($"The checkpointed run used {option} = {saved}; this trainer has {current}. A resumed run needs the same value to continue bit-identically.", option);
        }
    }

    /// <summary>Trains for the configured epochs (or until early stopping), validating after each epoch.</summary>
    /// <param name="train">The training sequences.</param>
    /// <param name="validation">Held-out sequences for model selection and early stopping, or null.</param>
    /// <param name="progress">Receives a report after every update and every epoch, or null.</param>
    /// <param name="cancellationToken">Stops between updates; the parameters stay as last updated.</param>
    /// <returns>One record per epoch run.</returns>
    /// <exception cref="TrainingDivergedException">A loss or gradient became non-finite; the parameters are the last good ones.</exception>
    public EpochRecord[] Train(ISequenceDataset train, ISequenceDataset? validation, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        RequireFeatures(train, nameof(train));
        if (validation is not null)
        {
            RequireFeatures(validation, nameof(validation));
        }

        int longest = Enumerable.Range(0, train.Count).Max(train.SequenceLength);
        int chunk = _lastFrame || _options.ChunkLength == 0 ? longest : Math.Min(_options.ChunkLength, longest);
        int firstShare = _options.Threads == 2 && _options.BatchSize >= 2 ? (_options.BatchSize + 1) / 2 : _options.BatchSize;
        TrainingShard[] shards = firstShare == _options.BatchSize
            ? [new TrainingShard(_network, longest, chunk, _options.BatchSize, train.FeatureSize, _options.Seed, _options.Teacher)]
            : [new TrainingShard(_network, longest, chunk, firstShare, train.FeatureSize, _options.Seed, _options.Teacher),
               new TrainingShard(_network, longest, chunk, _options.BatchSize - firstShare, train.FeatureSize, _options.Seed + 1, _options.Teacher)];
        using DedicatedWorker<ShardJob>? worker = shards.Length > 1 ? new DedicatedWorker<ShardJob>("CompactRnn training shard") : null;
        TrainerCheckpointState? resumed = _resumed;
        float[] best = _resumedBest ?? (float[])Parameters.Clone();
        _resumed = null; // a resume applies to one run
        _resumedBest = null;
        double bestLoss = resumed?.BestLoss ?? double.PositiveInfinity;
        int epochsWithoutGain = resumed?.EpochsWithoutGain ?? 0;
        var history = new List<EpochRecord>(resumed?.History ?? []);
        int firstEpoch = (resumed?.Epoch ?? 0) + 1;
        bool stoppedEarly = _options.Patience > 0 && epochsWithoutGain >= _options.Patience;
        var total = Stopwatch.StartNew();
        _network.Prepare(Parameters, _cache);

        for (int epoch = firstEpoch; epoch <= _options.Epochs && !stoppedEarly; epoch++)
        {
            var clock = Stopwatch.StartNew();
            int[] order = DeterministicShuffler.CreatePermutation(train.Count, _options.Seed, epoch);
            for (int s = 0; s < shards.Length; s++)
            {
                // Dropout masks come from a generator derived from (seed, epoch, shard), so a resumed run draws the same ones.
                shards[s].Tape.ReseedDropout(DeterministicShuffler.EpochSeed(DeterministicShuffler.EpochSeed(_options.Seed, epoch), 1 + s));
            }

            double lossSum = 0;
            long frames = 0;
            for (int start = 0; start < order.Length; start += _options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReadOnlySpan<int> indices = order.AsSpan(start, Math.Min(_options.BatchSize, order.Length - start));
                int first = Math.Min(indices.Length, shards[0].Batch.BatchSize);
                shards[0].Batch.Load(train, indices[..first], _lastFrame);
                if (shards.Length > 1)
                {
                    shards[1].Batch.Load(train, indices[first..], _lastFrame);
                }

                (double sum, long counted) = TrainBatch(shards, worker, chunk);
                lossSum += sum;
                frames += counted;
                double fraction = (double)Math.Min(order.Length, start + _options.BatchSize) / order.Length;
                double elapsed = total.Elapsed.TotalSeconds;
                double done = (epoch - firstEpoch + fraction) / (_options.Epochs - firstEpoch + 1);
                progress?.Report(new TrainingProgress(epoch, Updates, fraction, lossSum / Math.Max(1, frames),
                    frames / Math.Max(1e-9, clock.Elapsed.TotalSeconds), TimeSpan.FromSeconds(elapsed * ((1 - done) / Math.Max(1e-9, done))), null, null));
            }

            double seconds = clock.Elapsed.TotalSeconds;
            EvaluationResult? validated = validation is null ? null : Evaluate(validation);
            history.Add(new EpochRecord(epoch, lossSum / Math.Max(1, frames), validated, seconds));
            progress?.Report(new TrainingProgress(epoch, Updates, 1, lossSum / Math.Max(1, frames), frames / Math.Max(1e-9, seconds),
                TimeSpan.FromSeconds(total.Elapsed.TotalSeconds * (_options.Epochs - epoch) / (epoch - firstEpoch + 1)), validated?.Loss, validated?.Accuracy));
            if (validated is { } result)
            {
                if (result.Loss < bestLoss)
                {
                    bestLoss = result.Loss;
                    Parameters.AsSpan().CopyTo(best);
                    epochsWithoutGain = 0;
                }
                else if (_options.Patience > 0 && ++epochsWithoutGain >= _options.Patience)
                {
                    stoppedEarly = true;
                }
            }

            // Written after the model-selection update, so the checkpoint holds everything the next epoch starts from.
            WriteCheckpoint(new TrainerCheckpointState(epoch, Updates, _options.Seed, _options.BatchSize, _options.ChunkLength, _options.Threads,
                _options.ClipNorm, _options.LabelSmoothing, _options.DistillationWeight, _options.BlockLearningRates,
                _optimizer.Schedule.GetRate(_optimizer.StepCount), bestLoss, epochsWithoutGain, [.. history]), validation is null ? [] : best);
            if (epoch == _options.StopAfterEpoch)
            {
                return [.. history]; // as if interrupted here: the parameters stay the last epoch's, the checkpoint resumes the run
            }
        }

        if (validation is not null)
        {
            best.CopyTo(Parameters, 0); // keep the best epoch by validation loss
            _network.Prepare(Parameters, _cache);
        }

        return [.. history];
    }

    /// <summary>Mean cross-entropy and accuracy of the current parameters on a dataset (no dropout).</summary>
    public EvaluationResult Evaluate(ISequenceDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        RequireFeatures(data, nameof(data));
        _network.Prepare(Parameters, _cache);
        int longest = Enumerable.Range(0, data.Count).Max(data.SequenceLength);
        var batch = new Minibatch(longest, _options.BatchSize, data.FeatureSize);
        LstmNetworkTape tape = _network.CreateTape(longest, _options.BatchSize);
        float[] dLogits = new float[tape.Logits.Length];
        double lossSum = 0;
        long correct = 0, counted = 0;
        int classes = _network.OutputSize;
        int[] indices = Enumerable.Range(0, data.Count).ToArray();
        for (int start = 0; start < indices.Length; start += _options.BatchSize)
        {
            batch.Load(data, indices.AsSpan(start, Math.Min(_options.BatchSize, indices.Length - start)), _lastFrame);
            int steps = batch.Steps;
            tape.ResetState();
            _network.Forward(Parameters, _cache, batch.Features.AsSpan(0, steps * batch.BatchSize * data.FeatureSize), steps, batch.Lengths, tape, training: false);
            int rows = batch.Targets(_lastFrame, 0, steps, out ReadOnlySpan<int> targets, out ReadOnlySpan<float> mask);
            LossResult loss = SoftmaxCrossEntropy.Evaluate(tape.Logits[..(rows * classes)], classes, targets, mask, dLogits.AsSpan(0, rows * classes), 0f, 1f);
            lossSum += loss.Sum;
            counted += loss.Count;
            for (int row = 0; row < rows; row++)
            {
                if (mask[row] != 0 && ArgMax(tape.Logits.Slice(row * classes, classes)) == targets[row])
                {
                    correct++;
                }
            }
        }

        return new EvaluationResult(lossSum / Math.Max(1, counted), (double)correct / Math.Max(1, counted), counted);
    }

    private (double Sum, long Count) TrainBatch(TrainingShard[] shards, DedicatedWorker<ShardJob>? worker, int chunk)
    {
        double sum = 0;
        long count = 0;
        int longest = 0;
        foreach (TrainingShard shard in shards)
        {
            shard.Tape.ResetState();
            longest = Math.Max(longest, shard.Batch.Steps);
        }

        for (int start = 0; start < longest; start += chunk)
        {
            int steps = Math.Min(chunk, longest - start);
            long counted = 0;
            foreach (TrainingShard shard in shards)
            {
                counted += shard.CountFrames(_lastFrame, start, steps);
            }

            if (counted == 0)
            {
                continue;
            }

            // Each shard runs forward, loss and backward on its own rows; the gradient of the mean over all
            // counted frames is the sum of the shards' gradients, added in a fixed order (deterministic).
            float scale = 1f / counted;
            if (shards.Length == 1)
            {
                shards[0].Run(_network, Parameters, _cache, _lastFrame, start, steps, scale, _options.LabelSmoothing, _options.DistillationWeight);
            }
            else
            {
                worker!.Begin(new ShardJob(shards[1], _network, Parameters, _cache, _lastFrame, start, steps, scale, _options.LabelSmoothing, _options.DistillationWeight));
                try
                {
                    shards[0].Run(_network, Parameters, _cache, _lastFrame, start, steps, scale, _options.LabelSmoothing, _options.DistillationWeight);
                }
                finally
                {
                    worker.End(); // always joined, so the worker never outlives this update's buffers in use
                }
            }

            double lossSum = 0;
            foreach (TrainingShard shard in shards)
            {
                lossSum += shard.LossSum;
            }

            if (!double.IsFinite(lossSum))
            {
                throw new TrainingDivergedException(Updates, "the loss");
            }

            for (int s = 1; s < shards.Length; s++)
            {
                TensorPrimitives.Add(shards[0].Gradients, shards[s].Gradients, shards[0].Gradients);
            }

            float[] gradients = shards[0].Gradients;
            int bad = NonFiniteDetector.FindNonFinite(gradients);
            if (bad >= 0)
            {
                throw new TrainingDivergedException(Updates, $"the gradient of {BlockName(bad)}");
            }

            if (_options.ClipNorm > 0)
            {
                GradientClipping.ClipGlobalNorm(gradients, _options.ClipNorm);
            }

            _optimizer.Step(Parameters, gradients);
            _network.Prepare(Parameters, _cache);
            Updates++;
            sum += lossSum;
            count += counted;
        }

        return (sum, count);
    }

    private string BlockName(int index)
    {
        foreach (var block in _network.ParameterBlocks)
        {
            if (index >= block.Offset && index < block.Offset + block.Length)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{block.Name}[{index - block.Offset}]");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"parameter {index}");
    }

    private void WriteCheckpoint(TrainerCheckpointState state, ReadOnlySpan<float> best)
    {
        if (_options.CheckpointPath is null)
        {
            return;
        }

        CheckpointFile.Write(_options.CheckpointPath, NetworkOptionsJson.KindTag,
            NetworkOptionsJson.Write(_network.Options), Parameters, _optimizer.ExportState(), state.ToJson(), best);
    }

    private void RequireFeatures(ISequenceDataset data, string name)
    {
        if (data.FeatureSize != _network.Options.InputSize)
        {
            throw new ArgumentException($"The dataset has {data.FeatureSize} features per frame; the network expects {_network.Options.InputSize}.", name);
        }

        if (data.Count == 0)
        {
            throw new ArgumentException("The dataset is empty.", name);
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
