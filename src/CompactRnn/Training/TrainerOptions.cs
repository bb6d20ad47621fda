using System;
using CompactRnn.Models;
using CompactRnn.Parameters;

namespace CompactRnn.Training;

/// <summary>How <see cref="BpttTrainer"/> runs: epochs, minibatches, truncation, clipping, stopping, checkpoints.</summary>
public sealed record TrainerOptions
{
    /// <summary>Passes over the training set; at least 1.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Sequences per minibatch; at least 1. A short last batch is padded with empty sequences.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Truncated BPTT chunk length K: each minibatch is cut into chunks of K steps, the state is carried
    /// across chunks, gradients stop at chunk borders and the parameters are updated after every chunk.
    /// 0 means full BPTT (one update per minibatch). Ignored in last-frame mode, which needs whole sequences.
    /// </summary>
    public int ChunkLength { get; init; }

    /// <summary>Seed of the shuffling and dropout: the same seed (and thread count) gives a bit-identical run.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Global-norm gradient clipping threshold; 0 turns it off.</summary>
    public float ClipNorm { get; init; } = 5f;

    /// <summary>Label smoothing ε of the cross-entropy, in [0, 1).</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>Stop after this many epochs without a better validation loss; 0 never stops early.</summary>
    public int Patience { get; init; }

    /// <summary>
    /// 1, or 2 to split every minibatch into two fixed halves that run forward and backward on two threads;
    /// their gradients are added in a fixed order, so runs stay bit-identical for a given thread count (but
    /// differ in the last bits from the 1-thread run, whose sums are ordered differently).
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// A trained teacher for knowledge distillation (<see cref="DistillationLoss"/>), or null. It must read the
    /// same features and predict the same classes in the same output mode; it is run on every minibatch.
    /// </summary>
    public LstmModel? Teacher { get; init; }

    /// <summary>α in [0, 1]: the share of the teacher's posterior in each frame's target (0 = labels only).</summary>
    public float DistillationWeight { get; init; }

    /// <summary>
    /// Whether the trainer hands the network's <see cref="ParameterBlock.LearningRateScale"/>s to the
    /// optimiser (<see cref="Optimizer.UseBlockScales"/>), so structured matrices take steps of the size a dense one
    /// takes whatever their rank (docs/math.md §13). On by default; off trains every block at the schedule's rate.
    /// </summary>
    public bool BlockLearningRates { get; init; } = true;

    /// <summary>
    /// 0 (default): each minibatch is B sequences of the epoch's random permutation. Above 0: minibatches of similar
    /// length (<see cref="LengthSortedBatches"/>): the permutation is cut into pools of this many minibatches, each pool
    /// is sorted by length and cut into minibatches, and the minibatches are shuffled. A minibatch runs for as many steps
    /// as its longest sequence, so this removes most of the padding (on the speech benchmark 50 gives 1.9× the frames per
    /// second). The validation set is then also scored in length order (the same loss up to the order of the sums).
    /// </summary>
    public int LengthSortPool { get; init; }

    /// <summary>Where to write a checkpoint (atomically) after every epoch, or null for none; <see cref="BpttTrainer.Resume"/> continues from it.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>
    /// Ends this run after the given epoch (and its checkpoint) as if interrupted there, leaving the parameters as that
    /// epoch left them; a later run with the same settings resumes from the checkpoint. 0 runs to <see cref="Epochs"/>.
    /// For time-boxed jobs: the schedule still spans all <see cref="Epochs"/>.
    /// </summary>
    public int StopAfterEpoch { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(ChunkLength, nameof(ChunkLength));
        ArgumentOutOfRangeException.ThrowIfNegative(ClipNorm, nameof(ClipNorm));
        ArgumentOutOfRangeException.ThrowIfNegative(Patience, nameof(Patience));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Threads, 2, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfNegative(StopAfterEpoch, nameof(StopAfterEpoch));
        ArgumentOutOfRangeException.ThrowIfNegative(LengthSortPool, nameof(LengthSortPool));
        if (!(DistillationWeight >= 0 && DistillationWeight <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(DistillationWeight), DistillationWeight, "The distillation weight must be in [0, 1].");
        }

        if (DistillationWeight > 0 && Teacher is null)
        {
            throw new ArgumentOutOfRangeException(nameof(DistillationWeight), DistillationWeight, "A distillation weight above 0 needs a Teacher.");
        }

        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "Label smoothing must be in [0, 1).");
        }
    }
}
