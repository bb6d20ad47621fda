namespace CompactRnn.Training;

/// <summary>
/// A learning-rate schedule: a pure function from the optimiser step index (0 for the first update) to
/// the rate used by that update. Implementations are immutable and thread-safe, so one instance can be
/// shared and evaluated out of order (for example after resuming from a checkpoint).
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for update number <paramref name="stepIndex"/>.</summary>
    /// <param name="stepIndex">Zero-based index of the optimiser update; not negative.</param>
    /// <returns>A finite rate, at least 0.</returns>
    float GetRate(int stepIndex);
}
