namespace CompactRnn.Training;

/// <summary>One line of the training history.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">Mean training cross-entropy per frame.</param>
/// <param name="Validation">Validation result, or null without a validation set.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch's training.</param>
public readonly record struct EpochRecord(int Epoch, double TrainLoss, EvaluationResult? Validation, double Seconds);
