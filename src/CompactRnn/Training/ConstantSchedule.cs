using System;

namespace CompactRnn.Training;

/// <summary>A constant learning rate: <c>η(s) = η₀</c>.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="rate">η₀; finite, at least 0.</param>
    public ConstantSchedule(float rate)
    {
        ScheduleArguments.RequireRate(rate, nameof(rate));
        Rate = rate;
    }

    /// <summary>η₀.</summary>
    public float Rate { get; }

    /// <inheritdoc/>
    public float GetRate(int stepIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
        return Rate;
    }
}
