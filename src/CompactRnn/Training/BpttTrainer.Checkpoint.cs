using System;
using System.Collections.Generic;
using System.Globalization;
using CompactRnn.Serialization;

namespace CompactRnn.Training;

/// <content>Checkpoints: the state written after every epoch (<see cref="TrainerOptions.CheckpointPath"/>) and resuming from it.</content>
public sealed partial class BpttTrainer
{
    private TrainerCheckpointState? _resumed;
    private float[]? _resumedBest;

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
        RequireSame(state.LengthSortPool, _options.LengthSortPool, nameof(TrainerOptions.LengthSortPool));
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

    /// <summary>
    /// Writes the checkpoint of the epoch just finished (when <see cref="TrainerOptions.CheckpointPath"/> is set): the parameters,
    /// the optimiser's state, the run's settings, history and model-selection state, and the best parameters so far.
    /// </summary>
    private void WriteCheckpoint(int epoch, double bestLoss, int epochsWithoutGain, List<EpochRecord> history, ReadOnlySpan<float> best)
    {
        if (_options.CheckpointPath is null)
        {
            return;
        }

        var state = new TrainerCheckpointState(epoch, Updates, _options.Seed, _options.BatchSize, _options.ChunkLength, _options.Threads,
            _options.ClipNorm, _options.LabelSmoothing, _options.DistillationWeight, _options.BlockLearningRates,
            _optimizer.Schedule.GetRate(_optimizer.StepCount), bestLoss, epochsWithoutGain, [.. history]) { LengthSortPool = _options.LengthSortPool };
        CheckpointFile.Write(_options.CheckpointPath, NetworkOptionsJson.KindTag,
            NetworkOptionsJson.Write(_network.Options), Parameters, _optimizer.ExportState(), state.ToJson(), best);
    }
}
