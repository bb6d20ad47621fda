using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using CompactRnn.Cli.Speech;
using CompactRnn.Models;
using CompactRnn.Training;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// The one training rule of a comparison, used for every row (from scratch, fine-tuning after compression, and
/// the longer dense control): Adam with a short linear warm-up, then train until the dev loss stops improving.
/// </summary>
/// <remarks>
/// <para>After every epoch the dev cross-entropy is measured. An epoch that does not lower the best dev loss so far
/// halves the learning rate (<see cref="PlateauFactor"/>; with <see cref="HalvingPatience"/> h, every h-th such epoch in
/// a row); after <see cref="Patience"/> such epochs in a row training stops.
/// <see cref="MaxEpochs"/> caps the run so that a preset fits its time budget. The parameters returned are those of
/// the best dev epoch. The starting point counts as "epoch 0", so fine-tuning can never return a model worse on dev
/// than the one it started from.</para>
/// <para>Epoch <c>e</c> shuffles the training set with seed <c>Seed·1000 + e</c>: runs are bit-identical for a seed,
/// and every epoch sees a different order.</para>
/// </remarks>
/// <param name="BatchSize">Utterances per minibatch (full BPTT, one update per minibatch).</param>
/// <param name="LearningRate">Peak Adam rate of training from scratch.</param>
/// <param name="MaxEpochs">Epoch cap.</param>
/// <param name="Patience">Non-improving epochs after which training stops.</param>
/// <param name="ClipNorm">Global-norm gradient clipping threshold.</param>
/// <param name="Seed">Seed of initialisation and shuffling.</param>
internal sealed record PlateauRecipe(int BatchSize, float LearningRate, int MaxEpochs, int Patience, float ClipNorm, int Seed)
{
    /// <summary>The factor applied to the learning rate after an epoch that does not improve the dev loss.</summary>
    public const float PlateauFactor = 0.5f;

    /// <summary>The peak Adam rate of training from scratch in both presets.</summary>
    public const float DefaultLearningRate = 3e-3f;

    /// <summary>The fine-tuning rate scales a comparison chooses from on dev (<see cref="FineTuneRateScale"/>).</summary>
    /// <remarks>Immutable, so no caller can change the grid a comparison and its summary report.</remarks>
    public static readonly ImmutableArray<float> FineTuneRateScales = [0.1f, DefaultFineTuneRateScale, 1f];

    /// <summary>The fine-tuning rate scale used when none was chosen on dev (the <c>compress</c> command).</summary>
    public const float DefaultFineTuneRateScale = 0.3f;

    /// <summary>
    /// The rate of fine-tuning a compressed model, as a share of <see cref="LearningRate"/>: one value for every compressed row
    /// and for the longer dense control. A comparison chooses it on dev from <see cref="FineTuneRateScales"/>.
    /// </summary>
    public float FineTuneRateScale { get; init; } = DefaultFineTuneRateScale;

    /// <summary>
    /// Training utterances per epoch, or 0 for the whole training set. A large set is walked in parts: with
    /// <c>P = ⌈N / EpochUtterances⌉</c> parts, epoch <c>e</c> (from 1) trains on part <c>(e − 1) mod P</c> of pass
    /// <c>⌊(e − 1) / P⌋</c>'s permutation (seed <c>Seed·7919 + pass</c>), so P epochs see every utterance once and the
    /// dev loss — which drives halving, stopping and the kept parameters — is checked P times per pass.
    /// </summary>
    public int EpochUtterances { get; init; }

    /// <summary>
    /// <see cref="TrainerOptions.LengthSortPool"/> of every epoch: 0 for minibatches of random utterances, above 0 for
    /// minibatches of similar length drawn from pools of that many minibatches (far less padding, the same updates).
    /// </summary>
    public int LengthSortPool { get; init; }

    /// <summary>
    /// Consecutive non-improving epochs per halving of the rate: 1 (the presets) halves after every one; 2 halves after
    /// every second one, so a single noisy dev epoch does not cut the rate (the rank sweep's recipe, docs/math.md §13).
    /// </summary>
    public int HalvingPatience
    {
        get => _halvingPatience;
        init => _halvingPatience = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(HalvingPatience), value, "HalvingPatience must be at least 1.");
    }

    private readonly int _halvingPatience = 1;

    /// <summary>The rate of fine-tuning (<see cref="LearningRate"/> × <see cref="FineTuneRateScale"/>).</summary>
    public float FineTuneRate => LearningRate * FineTuneRateScale;

    /// <summary>Trains <paramref name="parameters"/> in place with the plateau rule and leaves the best dev parameters in it.</summary>
    /// <param name="network">The network.</param>
    /// <param name="parameters">Its flat parameters: the start on entry, the best dev epoch's on return.</param>
    /// <param name="train">Training utterances.</param>
    /// <param name="dev">Dev utterances (model selection, rate halving, stopping).</param>
    /// <param name="peakRate">The rate after warm-up and before any halving.</param>
    /// <param name="fixedEpochs">0 for the plateau rule; otherwise exactly this many epochs (no early stop; the rate still
    /// halves on a plateau and the best dev epoch is still kept). Used by the equal-training dense control.</param>
    /// <param name="progress">Per-epoch progress, or null.</param>
    /// <param name="cancellationToken">Stops between updates.</param>
    public PlateauOutcome Train(LstmNetwork network, float[] parameters, SpeechSequenceDataset train, SpeechSequenceDataset dev, float peakRate,
        int fixedEpochs, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegative(fixedEpochs);
        int cap = fixedEpochs > 0 ? fixedEpochs : MaxEpochs;
        int epochSize = EpochUtterances > 0 ? Math.Min(EpochUtterances, train.Count) : train.Count;
        int updatesPerEpoch = (epochSize + BatchSize - 1) / BatchSize;
        int warmup = Math.Min(100, updatesPerEpoch / 10);
        var clock = Stopwatch.StartNew();
        var history = new List<EpochRecord>();
        float[] best = (float[])parameters.Clone();
        EvaluationResult start = Evaluate(network, parameters, dev);
        history.Add(new EpochRecord(0, double.NaN, start, 0));
        double bestLoss = start.Loss;
        int bestEpoch = 0, stale = 0;
        long updates = 0;
        float rate = peakRate;
        AdamOptimizer? previous = null;
        string? stopped = null;
        for (int epoch = 1; epoch <= cap; epoch++)
        {
            // A rate change needs a new schedule; the Adam moments and step count carry over so the run is one optimisation.
            var optimizer = new AdamOptimizer(network.ParameterCount, new LinearWarmupSchedule(new ConstantSchedule(rate), warmup));
            if (previous is not null)
            {
                for (int slot = 0; slot < optimizer.StateNames.Count; slot++)
                {
                    previous.GetState(slot).CopyTo(optimizer.GetState(slot));
                }

                optimizer.StepCount = previous.StepCount;
            }

            previous = optimizer;
            var trainer = Trainer(network, parameters, optimizer, epoch);
            var epochClock = Stopwatch.StartNew();
            EpochRecord record;
            try
            {
                record = trainer.Train(EpochSet(train, epoch), dev, null, cancellationToken)[0] with { Epoch = epoch };
            }
            catch (TrainingDivergedException error)
            {
                stopped = $"diverged in epoch {epoch} at update {updates + error.Update}; kept the best dev epoch";
                updates += trainer.Updates;
                break;
            }

            updates += trainer.Updates;
            history.Add(record with { Seconds = epochClock.Elapsed.TotalSeconds });
            double loss = record.Validation!.Value.Loss;
            progress?.Report($"epoch {epoch}/{cap} dev loss {loss:F3} (best {Math.Min(loss, bestLoss):F3}) rate {rate:G3}");
            if (loss < bestLoss)
            {
                (bestLoss, bestEpoch, stale) = (loss, epoch, 0);
                parameters.AsSpan().CopyTo(best);
                continue;
            }

            if (++stale % HalvingPatience == 0)
            {
                rate *= PlateauFactor;
            }

            if (stale >= Patience && fixedEpochs == 0)
            {
                break;
            }
        }

        best.CopyTo(parameters, 0);
        return new PlateauOutcome(new LstmModel(network, parameters), [.. history], clock.Elapsed.TotalSeconds, stopped, bestEpoch, history.Count - 1, updates);
    }

    /// <summary>Mean cross-entropy and frame accuracy of <paramref name="parameters"/> on <paramref name="data"/>, scored as
    /// <see cref="Train"/> scores the dev set (the same trainer options: batch size, no dropout).</summary>
    /// <param name="network">The network.</param>
    /// <param name="parameters">Its flat parameters (read only).</param>
    /// <param name="data">The utterances scored.</param>
    public EvaluationResult Evaluate(LstmNetwork network, float[] parameters, ISequenceDataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Trainer(network, parameters, new AdamOptimizer(network.ParameterCount, new ConstantSchedule(0f)), 0).Evaluate(data);
    }

    // The utterances of one epoch (see EpochUtterances): the whole set, or one part of the current pass's permutation.
    private ISequenceDataset EpochSet(SpeechSequenceDataset train, int epoch)
    {
        if (EpochUtterances <= 0 || EpochUtterances >= train.Count)
        {
            return train;
        }

        int parts = (train.Count + EpochUtterances - 1) / EpochUtterances;
        int pass = (epoch - 1) / parts, part = (epoch - 1) % parts;
        var random = new Random(unchecked((Seed * 7919) + pass));
        int[] order = [.. Enumerable.Range(0, train.Count)];
        random.Shuffle(order);
        int start = part * train.Count / parts, end = (part + 1) * train.Count / parts;
        return new SequenceSubset(train, order[start..end]);
    }

    private BpttTrainer Trainer(LstmNetwork network, float[] parameters, AdamOptimizer optimizer, int epoch) => new(network, parameters, optimizer, new TrainerOptions
    {
        Epochs = 1,
        BatchSize = BatchSize,
        ClipNorm = ClipNorm,
        Seed = unchecked((Seed * 1000) + epoch),
        LengthSortPool = LengthSortPool,
    });
}
