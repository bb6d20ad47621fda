using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using CompactRnn.Models;
using CompactRnn.Threading;

namespace CompactRnn.Training;

/// <summary>
/// Trains an <see cref="LstmNetwork"/> with cross-entropy by hand-written backpropagation through
/// time: per update, zero gradients → forward → loss → backward → non-finite check → global-norm
/// clip → optimiser step → non-finite check of the parameters (restored on failure) → refresh the cache. Full or truncated BPTT, validation each epoch, early
/// stopping with best-model keeping, atomic checkpoints, progress and cancellation.
/// </summary>
/// <remarks>
/// Deterministic: with the same seed and data, runs are bit-identical (single-threaded arithmetic in a
/// fixed order). Nothing is allocated per update after the first minibatch.
/// </remarks>
public sealed partial class BpttTrainer
{
    private readonly LstmNetwork _network;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;
    private readonly float[] _cache;
    private readonly float[] _lastGood;
    private readonly bool _lastFrame;

    /// <summary>Prepares a trainer that updates <paramref name="parameters"/> in place.</summary>
    /// <param name="network">The network; it must have an output layer. One without Toeplitz-like dense forms (a model's
    /// <see cref="LstmModel.Network"/>) is trained through its twin with them (same parameters, faster batch products).</param>
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

        // A network without Toeplitz-like dense forms (an LstmModel's, e.g. a compressed model being fine-tuned) trains through
        // its twin with them: the same parameters and function, but the batch products take the cached dense form where the
        // cost model says it is faster (at the full preset's sizes an r = 16 layer trained 7x slower on its FFT path).
        _network = network.WithDenseForms(true);
        Parameters = parameters;
        _optimizer = optimizer;
        if (options.BlockLearningRates)
        {
            optimizer.UseBlockScales(network.ParameterBlocks);
        }

        _options = options;
        _cache = new float[_network.CacheSize];
        _lastGood = new float[network.ParameterCount];
        _lastFrame = network.Options.OutputMode == OutputMode.LastFrame;
    }

    /// <summary>The parameters being trained (the caller's buffer).</summary>
    public float[] Parameters { get; }

    /// <summary>Parameter updates applied so far.</summary>
    public long Updates { get; private set; }

    /// <summary>Trains for the configured epochs (or until early stopping), validating after each epoch.</summary>
    /// <param name="train">The training sequences.</param>
    /// <param name="validation">Held-out sequences for model selection and early stopping, or null.</param>
    /// <param name="progress">Receives a report after every update and every epoch, or null.</param>
    /// <param name="cancellationToken">Stops between updates; the parameters stay as last updated.</param>
    /// <returns>One record per epoch run.</returns>
    /// <exception cref="TrainingDivergedException">A loss, a gradient or a parameter after an optimiser step became
    /// non-finite; the parameters are restored to the last good update (the optimiser's moments are not rewound,
    /// so continue from a checkpoint or with a fresh optimiser).</exception>
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
            int[] order = _options.LengthSortPool > 0
                ? LengthSortedBatches.Create(train, _options.BatchSize, _options.LengthSortPool, _options.Seed, epoch)
                : DeterministicShuffler.CreatePermutation(train.Count, _options.Seed, epoch);
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
            WriteCheckpoint(epoch, bestLoss, epochsWithoutGain, history, validation is null ? [] : best);
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
}
