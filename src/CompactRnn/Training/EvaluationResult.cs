namespace CompactRnn.Training;

/// <summary>Mean cross-entropy and accuracy over the counted frames (or sequences) of a dataset.</summary>
/// <param name="Loss">Mean cross-entropy per counted frame (without label smoothing).</param>
/// <param name="Accuracy">Fraction of counted frames whose arg-max logit is the label.</param>
/// <param name="Frames">The number of counted frames (or sequences).</param>
public readonly record struct EvaluationResult(double Loss, double Accuracy, long Frames);
