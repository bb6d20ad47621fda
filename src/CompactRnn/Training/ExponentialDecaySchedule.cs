using System;

namespace CompactRnn.Training;

/// <summary>
/// Smooth exponential decay: <c>η(s) = η₀ · γ^(s / decaySteps)</c>, evaluated in double precision.
/// With <c>decaySteps = 1</c> this is PyTorch's <c>ExponentialLR</c> stepped once per update.
/// </summary>
public sealed class ExponentialDecaySchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialRate">η₀; finite, at least 0.</param>
    /// <param name="gamma">γ, the factor reached after <paramref name="decaySteps"/> updates; in (0, 1].</param>
    /// <param name="decaySteps">Updates over which the rate is multiplied by γ; at least 1.</param>
    public ExponentialDecaySchedule(float initialRate, double gamma, int decaySteps = 1)
    {
        ScheduleArguments.RequireRate(initialRate, nameof(initialRate));
        ScheduleArguments.RequireDecayFactor(gamma, nameof(gamma));
        ArgumentOutOfRangeException.ThrowIfLessThan(decaySteps, 1);
        InitialRate = initialRate;
        Gamma = gamma;
        DecaySteps = decaySteps;
    }

    /// <summary>η₀.</summary>
    public float InitialRate { get; }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <summary>Updates over which the rate is multiplied by γ.</summary>
    public int DecaySteps { get; }

    /// <inheritdoc/>
    public float GetRate(int stepIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
        return (float)(InitialRate * Math.Pow(Gamma, (double)stepIndex / DecaySteps));
    }
}
