using System;

namespace CompactRnn.Training;

/// <summary>A progress report of <see cref="BpttTrainer"/>, sent after every parameter update and every epoch.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Update">Parameter updates so far.</param>
/// <param name="EpochFraction">How much of the current epoch is done, in [0, 1].</param>
/// <param name="TrainLoss">Mean cross-entropy per frame over the epoch so far.</param>
/// <param name="FramesPerSecond">Training throughput over the epoch so far.</param>
/// <param name="Remaining">Estimated time to the end of training.</param>
/// <param name="ValidationLoss">Mean validation loss, in the report at the end of an epoch; otherwise null.</param>
/// <param name="ValidationAccuracy">Validation frame (or sequence) accuracy at the end of an epoch; otherwise null.</param>
public readonly record struct TrainingProgress(
    int Epoch, long Update, double EpochFraction, double TrainLoss, double FramesPerSecond, TimeSpan Remaining,
    double? ValidationLoss, double? ValidationAccuracy);
