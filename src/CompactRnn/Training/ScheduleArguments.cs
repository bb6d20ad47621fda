using System;

namespace CompactRnn.Training;

/// <summary>Shared argument checks of the learning-rate schedules.</summary>
internal static class ScheduleArguments
{
    /// <summary>Throws unless <paramref name="rate"/> is finite and not negative.</summary>
    public static void RequireRate(float rate, string parameterName)
    {
        if (!float.IsFinite(rate) || rate < 0f)
        {
            throw new ArgumentOutOfRangeException(parameterName, rate, "A learning rate must be finite and at least 0.");
        }
    }

    /// <summary>Throws unless <paramref name="factor"/> lies in (0, 1].</summary>
    public static void RequireDecayFactor(double factor, string parameterName)
    {
        if (!(factor > 0d && factor <= 1d))
        {
            throw new ArgumentOutOfRangeException(parameterName, factor, "A decay factor must lie in (0, 1].");
        }
    }
}
