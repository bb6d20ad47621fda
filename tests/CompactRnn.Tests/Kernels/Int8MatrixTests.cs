using System;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>
/// The int8 streaming GEMV at every width (unaccelerated widths run in software) against a double reference:
/// float32-exact on the dequantized weights s_i·q_ip, and within the derived bound <c>(s_i/2)·Σ_p |x_p|</c> of
/// the original ones.
/// </summary>
public sealed class Int8MatrixTests
{
    [Theory]
    [InlineData(1, 1, 0), InlineData(3, 5, 2), InlineData(4, 32, 0), InlineData(7, 40, 9), InlineData(13, 100, 33), InlineData(64, 17, 64), InlineData(768, 26, 26)]
    public void MultiplyAdd_EveryWidth_MatchesDequantizedReferenceAndBound(int rows, int leftColumns, int rightColumns)
    {
        var random = new Random((rows * 1000) + leftColumns + rightColumns);
        float[] left = Uniform(random, rows * leftColumns), right = Uniform(random, rows * rightColumns);
        if (rows > 2)
        {
            left.AsSpan(leftColumns, leftColumns).Clear(); // a zero row (scale 0)
            right.AsSpan(rightColumns, rightColumns).Clear();
        }

        int columns = leftColumns + rightColumns;
        float[] x = Uniform(random, columns);
        foreach (int lanes in new[] { 16, 8, 4, 1 })
        {
            var matrix = new Int8Matrix(rows, left, leftColumns, right, rightColumns, lanes);
            Assert.Equal(((columns + 1) / 2 * 2), matrix.PaddedColumns);
            Assert.Equal(((rows + 3) / 4 * 4 * matrix.PaddedColumns) + (4L * rows), matrix.Bytes);
            float[] padded = new float[matrix.PaddedColumns];
            x.CopyTo(padded, 0);
            float[] y = new float[rows + 1];
            Array.Fill(y, 0.5f);
            matrix.MultiplyAdd(padded, y);
            Assert.Equal(0.5f, y[rows]); // nothing written past m
            for (int i = 0; i < rows; i++)
            {
                double scale = matrix.Scales[i], dequantized = 0, exact = 0.5, magnitude = 0, inputs = 0;
                for (int p = 0; p < columns; p++)
                {
                    float w = p < leftColumns ? left[(i * leftColumns) + p] : right[(i * rightColumns) + p - leftColumns];
                    double q = scale > 0 ? Math.Clamp(Math.Round(w / scale), -127, 127) : 0;
                    Assert.True(Math.Abs((q * scale) - w) <= (scale / 2) * (1 + 1e-6), $"row {i}: {w} -> {q}·{scale}");
                    dequantized += q * x[p];
                    exact += (double)w * x[p];
                    magnitude += Math.Abs((double)w * x[p]);
                    inputs += Math.Abs(x[p]);
                }

                double summation = (columns + 2) * Math.Pow(2, -23) * (magnitude + (127 * scale * inputs) + 0.5);
                Assert.True(Math.Abs(y[i] - (0.5 + (scale * dequantized))) <= summation, $"lanes {lanes} row {i}: {y[i]} vs {0.5 + (scale * dequantized)}");
                Assert.True(Math.Abs(y[i] - exact) <= (scale / 2 * inputs) + summation, $"lanes {lanes} row {i}: {y[i]} vs {exact}");
            }
        }
    }

    [Theory]
    [InlineData(52, 16, new[] { 16, 8, 1 })] // 32 + 16 + 4
    [InlineData(136, 16, new[] { 16, 4 })]   // 128 + 8
    [InlineData(26, 16, new[] { 8, 4, 1 })]  // 16 + 8 + 2
    [InlineData(192, 16, new[] { 16 })]
    [InlineData(7, 8, new[] { 1 })]
    [InlineData(52, 4, new[] { 4, 1 })]      // 48 + 4
    [InlineData(9, 1, new[] { 1 })]
    public void Constructor_CutsColumnsIntoWholeBlocksWidestFirst(int columns, int lanes, int[] widths)
    {
        var matrix = new Int8Matrix(5, new float[5 * columns], columns, [], 0, lanes);
        Assert.Equal(widths, matrix.SegmentWidths);
        Assert.Equal((8L * ((columns + 1) / 2 * 2)) + (4 * 5), matrix.Bytes);
    }

    [Fact]
    public void Constructor_UnsupportedLanes_ThrowsNamingLanes()
        => Assert.Equal("lanes", Assert.Throws<ArgumentOutOfRangeException>(() => new Int8Matrix(2, new float[4], 2, [], 0, lanes: 2)).ParamName);

    [Fact]
    public void Constructor_NonFiniteWeight_ThrowsNamingTheArgument()
    {
        float[] left = [1f, float.NaN, 2f, 3f];
        Assert.Equal("left", Assert.Throws<ArgumentException>(() => new Int8Matrix(2, left, 2, [], 0)).ParamName);
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
