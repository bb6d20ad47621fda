using System;

namespace CompactRnn.Training;

/// <summary>
/// A linear warm-up in front of any other schedule. For the first <c>W</c> updates the rate ramps up
/// towards the inner schedule's first rate, <c>η(s) = η_inner(0) · (s + 1) / (W + 1)</c> for
/// <c>s &lt; W</c> (never 0, so no update is wasted); afterwards the inner schedule runs from its own
/// beginning, <c>η(s) = η_inner(s − W)</c>, so a decay starts when the warm-up ends.
/// </summary>
public sealed class LinearWarmupSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="inner">The schedule that follows the warm-up.</param>
    /// <param name="warmupSteps">W, the number of warm-up updates; at least 0 (0 = no warm-up).</param>
    public LinearWarmupSchedule(ILearningRateSchedule inner, int warmupSteps)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        Inner = inner;
        WarmupSteps = warmupSteps;
    }

    /// <summary>The schedule that follows the warm-up.</summary>
    public ILearningRateSchedule Inner { get; }

    /// <summary>W.</summary>
    public int WarmupSteps { get; }

    /// <inheritdoc/>
    public float GetRate(int stepIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
        if (stepIndex >= WarmupSteps)
        {
            return Inner.GetRate(stepIndex - WarmupSteps);
        }

        return (float)((double)Inner.GetRate(0) * (stepIndex + 1) / (WarmupSteps + 1.0));
    }
}
