using System;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>
/// bf16 rounding and the packed bf16 GEMV at every width (unaccelerated widths run in software), against a
/// double-precision reference: exact-to-float32 on the rounded weights, and within the derived bound
/// <c>2⁻⁸·Σ|W||x|</c> of the unrounded ones.
/// </summary>
public sealed class BFloat16MatrixTests
{
    [Theory]
    [InlineData(0x3F800000u, (ushort)0x3F80)] // 1.0 exactly
    [InlineData(0x3F808000u, (ushort)0x3F80)] // tie, kept bit even: stays
    [InlineData(0x3F818000u, (ushort)0x3F82)] // tie, kept bit odd: rounds up to even
    [InlineData(0x3F808001u, (ushort)0x3F81)] // just above the tie: up
    [InlineData(0xBF807FFFu, (ushort)0xBF80)] // just below the tie, negative: down in magnitude
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // float.MaxValue rounds to +∞
    public void Round_KnownBitPatterns_NearestTiesToEven(uint bits, ushort expected)
        => Assert.Equal(expected, BFloat16.Round(BitConverter.UInt32BitsToSingle(bits)));

    [Fact]
    public void Round_RandomNormalValues_RelativeErrorAtMostTwoToMinusNine()
    {
        var random = new Random(11);
        for (int k = 0; k < 100_000; k++)
        {
            float value = (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-60, 60)));
            float rounded = BFloat16.RoundTrip(value);
            Assert.True(Math.Abs(rounded - value) <= BFloat16.UnitRoundoff * Math.Abs(value), $"{value} -> {rounded}");
        }

        Assert.True(float.IsNaN(BFloat16.RoundTrip(float.NaN)));
    }

    [Theory]
    [InlineData(1, 1, 0), InlineData(3, 5, 2), InlineData(4, 32, 0), InlineData(7, 40, 9), InlineData(13, 100, 33), InlineData(64, 17, 64)]
    public void MultiplyAdd_EveryWidth_MatchesReferenceOnRoundedWeightsAndBound(int rows, int leftColumns, int rightColumns)
    {
        var random = new Random((rows * 1000) + leftColumns + rightColumns);
        float[] left = Uniform(random, rows * leftColumns), right = Uniform(random, rows * rightColumns);
        int columns = leftColumns + rightColumns;
        float[] x = Uniform(random, columns);
        foreach (int lanes in new[] { 16, 8, 4, 1 })
        {
            var matrix = new BFloat16Matrix(rows, left, leftColumns, right, rightColumns, lanes);
            float[] padded = new float[matrix.PaddedColumns];
            x.CopyTo(padded, 0);
            float[] y = new float[rows + 1];
            Array.Fill(y, 0.5f);
            matrix.MultiplyAdd(padded, y);
            Assert.Equal(0.5f, y[rows]); // nothing written past m
            for (int i = 0; i < rows; i++)
            {
                double exactRounded = 0.5, exact = 0.5, magnitude = 0;
                for (int p = 0; p < columns; p++)
                {
                    float w = p < leftColumns ? left[(i * leftColumns) + p] : right[(i * rightColumns) + p - leftColumns];
                    exactRounded += (double)BFloat16.RoundTrip(w) * x[p];
                    exact += (double)w * x[p];
                    magnitude += Math.Abs((double)w * x[p]);
                }

                // float32 sums of `columns` terms: at most columns·2⁻²⁴ relative to Σ|w x| (plus the initial 0.5).
                double summation = (columns + 2) * Math.Pow(2, -24) * (magnitude + 0.5);
                Assert.True(Math.Abs(y[i] - exactRounded) <= summation, $"lanes {lanes} row {i}: {y[i]} vs {exactRounded}");
                Assert.True(Math.Abs(y[i] - exact) <= (BFloat16.UnitRoundoff * magnitude) + summation, $"lanes {lanes} row {i}: {y[i]} vs {exact}");
            }
        }
    }

    [Fact]
    public void Constructor_BadLanes_ThrowsNamingLanes()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BFloat16Matrix(2, new float[4], 2, [], 0, lanes: 3));
        Assert.Equal("lanes", error.ParamName);
    }

    private static float[] Uniform(Random random, int count)
    {
        float[] values = new float[count];
        for (int k = 0; k < count; k++)
        {
            values[k] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
