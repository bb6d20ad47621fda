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

    /// <summary>
    /// Fills the row-major <paramref name="rows"/>×<paramref name="columns"/> matrix in <paramref name="destination"/> with a
    /// semi-orthogonal draw scaled so that its entries have mean square <paramref name="entryVariance"/>: a Gaussian matrix
    /// whose shorter side is orthonormalised (columns when rows ≥ columns, else rows), times √(entryVariance·max(rows, columns)).
    /// Then QᵀQ (or QQᵀ) = entryVariance·max(rows, columns)·I exactly, up to float rounding.
    /// </summary>
    /// <remarks>Modified Gram–Schmidt in double, run twice per vector ("twice is enough"), so the result is orthogonal to
    /// rounding even when the Gaussian draw is badly conditioned; deterministic for a seed.</remarks>
    public static void FillSemiOrthogonal(Span<float> destination, int rows, int columns, double entryVariance, Random random)
    {
        if (destination.Length != rows * columns)
        {
            throw new ArgumentException($"Expected {rows}×{columns} = {rows * columns} floats, got {destination.Length}.", nameof(destination));
        }

        // Work on the vectors of the shorter side: v_a ∈ R^length, a < count.
        bool orthonormalColumns = rows >= columns;
        int count = orthonormalColumns ? columns : rows, length = orthonormalColumns ? rows : columns;
        var vectors = new double[count * length];
        for (int i = 0; i < vectors.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            vectors[i] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }

        for (int a = 0; a < count; a++)
        {
            Span<double> v = vectors.AsSpan(a * length, length);
            for (int pass = 0; pass < 2; pass++)
            {
                for (int b = 0; b < a; b++)
                {
                    ReadOnlySpan<double> q = vectors.AsSpan(b * length, length);
                    double dot = 0;
                    for (int i = 0; i < length; i++)
                    {
                        dot += q[i] * v[i];
                    }

                    for (int i = 0; i < length; i++)
                    {
                        v[i] -= dot * q[i];
                    }
                }
            }

            double norm = 0;
            for (int i = 0; i < length; i++)
            {
                norm += v[i] * v[i];
            }

            // A Gaussian vector lies in the span of a < length others with probability 0; the norm is well above rounding.
            double inverse = 1.0 / Math.Sqrt(norm);
            for (int i = 0; i < length; i++)
            {
                v[i] *= inverse;
            }
        }

        double scale = Math.Sqrt(entryVariance * length);
        for (int a = 0; a < count; a++)
        {
            for (int i = 0; i < length; i++)
            {
                int index = orthonormalColumns ? (i * columns) + a : (a * columns) + i;
                destination[index] = (float)(scale * vectors[(a * length) + i]);
            }
        }
    }
}
