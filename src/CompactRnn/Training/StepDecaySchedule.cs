using System;

namespace CompactRnn.Training;

/// <summary>
/// Piecewise-constant decay: <c>η(s) = η₀ · γ^⌊s / stepSize⌋</c> (the rate is multiplied by γ every
/// <c>stepSize</c> updates, as PyTorch's <c>StepLR</c> with one scheduler step per update).
/// </summary>
public sealed class StepDecaySchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialRate">η₀; finite, at least 0.</param>
    /// <param name="stepSize">Updates between two decays; at least 1.</param>
    /// <param name="gamma">γ, the factor applied at each decay; in (0, 1].</param>
    public StepDecaySchedule(float initialRate, int stepSize, double gamma)
    {
        ScheduleArguments.RequireRate(initialRate, nameof(initialRate));
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        ScheduleArguments.RequireDecayFactor(gamma, nameof(gamma));
        InitialRate = initialRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>η₀.</summary>
    public float InitialRate { get; }

    /// <summary>Updates between two decays.</summary>
    public int StepSize { get; }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public float GetRate(int stepIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
        return (float)(InitialRate * Math.Pow(Gamma, stepIndex / StepSize));
    }
}
