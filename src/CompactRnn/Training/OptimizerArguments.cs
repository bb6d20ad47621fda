using System;

namespace CompactRnn.Training;

/// <summary>Shared argument checks of the optimisers.</summary>
internal static class OptimizerArguments
{
    /// <summary>Throws unless <paramref name="weightDecay"/> is finite and not negative.</summary>
    public static void RequireWeightDecay(float weightDecay, string parameterName)
    {
        if (!float.IsFinite(weightDecay) || weightDecay < 0f)
        {
            throw new ArgumentOutOfRangeException(parameterName, weightDecay, "Weight decay must be finite and at least 0.");
        }
    }

    /// <summary>Throws unless <paramref name="beta"/> lies in [0, 1).</summary>
    public static void RequireBeta(float beta, string parameterName)
    {
        if (!(beta >= 0f && beta < 1f))
        {
            throw new ArgumentOutOfRangeException(parameterName, beta, "A moment decay rate must lie in [0, 1).");
        }
    }
}
