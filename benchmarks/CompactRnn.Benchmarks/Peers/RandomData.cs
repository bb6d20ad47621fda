using System;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>Seeded benchmark inputs.</summary>
internal static class RandomData
{
    /// <summary><paramref name="count"/> values uniform in [−1, 1).</summary>
    public static float[] Uniform(int count, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[count];
        for (int k = 0; k < count; k++)
        {
            values[k] = (float)((2 * random.NextDouble()) - 1);
        }

        return values;
    }
}
