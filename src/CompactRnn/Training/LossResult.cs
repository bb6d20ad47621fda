namespace CompactRnn.Training;

/// <summary>The value of a loss over a minibatch.</summary>
/// <param name="Sum">The loss summed over the counted terms, accumulated in double.</param>
/// <param name="Count">
/// The number of counted terms: unmasked rows for cross-entropy, unmasked rows × features for the mean
/// squared error. The default gradient scale of the losses is <c>1 / Count</c>.
/// </param>
public readonly record struct LossResult(double Sum, long Count)
{
    /// <summary><c>Sum / Count</c>, or 0 when nothing was counted.</summary>
    public double Mean => Count == 0 ? 0d : Sum / Count;
}
