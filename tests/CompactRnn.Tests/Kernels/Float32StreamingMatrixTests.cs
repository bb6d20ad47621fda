using System;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>
/// The packed float32 GEMV at every width (unaccelerated widths run in software), against a double-precision
/// reference: float32 summation error only, nothing written past m, and the packed size as documented.
/// </summary>
public sealed class Float32StreamingMatrixTests
{
    [Theory]
    [InlineData(1, 1, 0), InlineData(3, 5, 2), InlineData(4, 32, 0), InlineData(7, 40, 9), InlineData(13, 100, 33), InlineData(64, 17, 64)]
    public void MultiplyAdd_EveryWidth_MatchesDoubleReferenceToFloatRounding(int rows, int leftColumns, int rightColumns)
    {
        var random = new Random((rows * 1000) + leftColumns + rightColumns);
        float[] left = Uniform(random, rows * leftColumns), right = Uniform(random, rows * rightColumns);
        int columns = leftColumns + rightColumns;
        float[] x = Uniform(random, columns);
        foreach (int lanes in new[] { 16, 8, 4, 1 })
        {
            var matrix = new Float32StreamingMatrix(rows, left, leftColumns, right, rightColumns, lanes);
            Assert.Equal(0, matrix.PaddedColumns % (2 * lanes));
            Assert.Equal(4L * ((rows + 3) / 4) * matrix.PaddedColumns * sizeof(float), matrix.Bytes);
            float[] padded = new float[matrix.PaddedColumns];
            x.CopyTo(padded, 0);
            float[] y = new float[rows + 1];
            Array.Fill(y, 0.5f);
            matrix.MultiplyAdd(padded, y);
            Assert.Equal(0.5f, y[rows]); // nothing written past m
            for (int i = 0; i < rows; i++)
            {
                double exact = 0.5, magnitude = 0;
                for (int p = 0; p < columns; p++)
                {
                    float w = p < leftColumns ? left[(i * leftColumns) + p] : right[(i * rightColumns) + p - leftColumns];
                    exact += (double)w * x[p];
                    magnitude += Math.Abs((double)w * x[p]);
                }

                // float32 sums of `columns` terms: at most columns·2⁻²⁴ relative to Σ|w x| (plus the initial 0.5).
                double summation = (columns + 2) * Math.Pow(2, -24) * (magnitude + 0.5);
                Assert.True(Math.Abs(y[i] - exact) <= summation, $"lanes {lanes} row {i}: {y[i]} vs {exact}");
            }
        }
    }

    /// <summary>
    /// The documented layout, element by element: row q of group g, block b, column j of the pair at
    /// <c>((g·blocks + b)·4 + q)·2L + j</c>, zeros in the padding rows and columns.
    /// </summary>
    [Theory]
    [InlineData(7, 40, 9), InlineData(4, 32, 0), InlineData(1, 1, 0)]
    public void Packed_EveryWidth_FollowsTheDocumentedLayout(int rows, int leftColumns, int rightColumns)
    {
        var random = new Random(rows + leftColumns);
        float[] left = Uniform(random, rows * leftColumns), right = Uniform(random, rows * rightColumns);
        int columns = leftColumns + rightColumns;
        foreach (int lanes in new[] { 16, 8, 4, 1 })
        {
            var matrix = new Float32StreamingMatrix(rows, left, leftColumns, right, rightColumns, lanes);
            ReadOnlySpan<float> packed = matrix.Packed;
            int blocks = matrix.PaddedColumns / (2 * lanes);
            Assert.Equal(4 * ((rows + 3) / 4) * matrix.PaddedColumns, packed.Length);
            for (int k = 0; k < packed.Length; k++)
            {
                int j = k % (2 * lanes), q = k / (2 * lanes) % 4, b = k / (8 * lanes) % blocks, g = k / (8 * lanes * blocks);
                int i = (4 * g) + q, p = (2 * lanes * b) + j;
                float expected = i >= rows || p >= columns ? 0
                    : p < leftColumns ? left[(i * leftColumns) + p] : right[(i * rightColumns) + p - leftColumns];
                Assert.True(expected == packed[k], $"lanes {lanes} element {k} (row {i}, column {p}): {packed[k]} vs {expected}");
            }
        }
    }

    [Fact]
    public void Constructor_BadLanes_ThrowsNamingLanes()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Float32StreamingMatrix(2, new float[4], 2, [], 0, lanes: 3));
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
