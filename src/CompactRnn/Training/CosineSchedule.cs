using System;

namespace CompactRnn.Training;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter, "SGDR", 2017, without restarts):
/// <c>η(s) = η_end + (η₀ − η_end) · (1 + cos(π · min(s, S) / S)) / 2</c> for a length of <c>S</c>
/// updates; after <c>S</c> updates the rate stays at <c>η_end</c>.
/// </summary>
public sealed class CosineSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialRate">η₀; finite, at least 0.</param>
    /// <param name="totalSteps">S, the number of updates of the annealing; at least 1.</param>
    /// <param name="finalRate">η_end, reached at update S; finite, at least 0.</param>
    public CosineSchedule(float initialRate, int totalSteps, float finalRate = 0f)
    {
        ScheduleArguments.RequireRate(initialRate, nameof(initialRate));
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        ScheduleArguments.RequireRate(finalRate, nameof(finalRate));
        InitialRate = initialRate;
        TotalSteps = totalSteps;
        FinalRate = finalRate;
    }

    /// <summary>η₀.</summary>
    public float InitialRate { get; }

    /// <summary>S.</summary>
    public int TotalSteps { get; }

    /// <summary>η_end.</summary>
    public float FinalRate { get; }

    /// <inheritdoc/>
    public float GetRate(int stepIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
        double progress = (double)Math.Min(stepIndex, TotalSteps) / TotalSteps;
        double cosineFactor = 0.5 * (1.0 + Math.Cos(Math.PI * progress));
        return (float)(FinalRate + ((double)InitialRate - FinalRate) * cosineFactor);
    }
}
