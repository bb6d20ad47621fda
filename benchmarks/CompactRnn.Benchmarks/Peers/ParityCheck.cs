using System;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>The agreement check run before any peer is timed.</summary>
internal static class ParityCheck
{
    /// <summary>The largest absolute difference allowed between CompactRnn's and the peer's outputs.</summary>
    public const float Tolerance = 1e-4f;

    /// <summary>max |a − b| over two equally long spans.</summary>
    public static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Lengths differ: {a.Length} vs {b.Length}.", nameof(b));
        }

        float max = 0;
        for (int k = 0; k < a.Length; k++)
        {
            float difference = MathF.Abs(a[k] - b[k]);
            if (!(difference <= max))
            {
                max = float.IsNaN(difference) ? float.PositiveInfinity : difference;
            }
        }

        return max;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> when the difference exceeds <see cref="Tolerance"/>.</summary>
    public static void Require(float difference, string what)
    {
        if (!(difference <= Tolerance))
        {
            throw new InvalidOperationException($"{what}: ONNX Runtime and CompactRnn disagree by {difference:E3} (tolerance {Tolerance:E1}); not timing a different computation.");
        }
    }
}
