using System;

namespace CompactRnn.Parameters;

/// <summary>Seeded random fills used by every kind's documented initialisation.</summary>
internal static class Initializers
{
    /// <summary>Fills <paramref name="destination"/> with draws from <c>U(−bound, bound)</c> (variance bound²/3).</summary>
    public static void FillUniform(Span<float> destination, double bound, Random random)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)(((2.0 * random.NextDouble()) - 1.0) * bound);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with draws from <c>N(0, σ²)</c> (Box–Muller, deterministic for a seed).</summary>
    public static void FillNormal(Span<float> destination, double sigma, Random random)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble(); // (0, 1], keeps the log finite
            double u2 = random.NextDouble();
            destination[i] = (float)(sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
    }
}
