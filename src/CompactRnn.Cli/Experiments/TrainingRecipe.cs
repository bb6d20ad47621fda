using System;
using System.Diagnostics;
using System.Threading;
using CompactRnn.Cli.Speech;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Training;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// One training recipe for every model of a comparison: Adam, linear warm-up then cosine decay to 5% of
/// the peak rate, global-norm clipping, full or truncated BPTT, best epoch by dev loss.
/// </summary>
internal sealed record TrainingRecipe(int Epochs, int BatchSize, float LearningRate, int ChunkLength, float ClipNorm, int Seed, int Threads = 1)
{
    /// <summary>Trains <paramref name="parameters"/> in place and returns the model of the best dev epoch.</summary>
    /// <remarks>With <paramref name="checkpointPath"/>, a checkpoint is written after every epoch; <paramref name="resume"/> continues the run
    /// that wrote one, bit-identically; <paramref name="stopAfterEpoch"/> ends this run early as if interrupted.
    /// With a <paramref name="teacher"/>, each frame's target mixes the label and the teacher's posterior (weight <paramref name="distillationWeight"/>).</remarks>
    public TrainingOutcome Train(LstmNetwork network, float[] parameters, SpeechSequenceDataset train, SpeechSequenceDataset dev,
        int epochs, float learningRate, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken,
        LstmModel? teacher = null, float distillationWeight = 0f, string? checkpointPath = null, Checkpoint? resume = null, int stopAfterEpoch = 0)
    {
        int updatesPerEpoch = (train.Count + BatchSize - 1) / BatchSize;
        int totalUpdates = Math.Max(1, epochs * updatesPerEpoch);
        int warmup = Math.Min(100, totalUpdates / 10);
        ILearningRateSchedule schedule = new LinearWarmupSchedule(new CosineSchedule(learningRate, Math.Max(1, totalUpdates - warmup), learningRate * 0.05f), warmup);
        var optimizer = new AdamOptimizer(network.ParameterCount, schedule);
        var trainer = new BpttTrainer(network, parameters, optimizer, new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = BatchSize,
            ChunkLength = ChunkLength,
            ClipNorm = ClipNorm,
            Seed = Seed,
            Threads = Threads,
            Teacher = teacher,
            DistillationWeight = teacher is null ? 0f : distillationWeight,
            CheckpointPath = checkpointPath,
            StopAfterEpoch = stopAfterEpoch,
        });
        if (resume is not null)
        {
            trainer.Resume(resume); // same schedule, settings and network, or a message naming the difference
        }

        var clock = Stopwatch.StartNew();
        try
        {
            EpochRecord[] history = trainer.Train(train, dev, progress, cancellationToken);
            return new TrainingOutcome(new LstmModel(network, parameters), history, clock.Elapsed.TotalSeconds);
        }
        catch (TrainingDivergedException error)
        {
            // The trainer keeps the last good parameters; a sweep scores them and says so rather than losing the row.
            return new TrainingOutcome(new LstmModel(network, parameters), [], clock.Elapsed.TotalSeconds, $"diverged at update {error.Update}");
        }
    }
}
