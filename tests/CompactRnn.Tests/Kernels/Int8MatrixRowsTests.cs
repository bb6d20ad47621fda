using System;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>
/// The int8 product of several batch rows (<see cref="Int8Matrix.MultiplyAddRows"/>, four rows per weight load) gives
/// every row the bits of the one-row product, at every width, with strided rows, a remainder of one to three rows, and
/// a non-finite row that spoils only itself.
/// </summary>
public sealed class Int8MatrixRowsTests
{
    private static readonly int[] Widths = [16, 8, 4, 1];

    [Theory]
    [InlineData(1, 1, 4), InlineData(5, 7, 4), InlineData(13, 100, 7), InlineData(64, 130, 9), InlineData(768, 26, 8), InlineData(36, 64, 2)]
    public void MultiplyAddRows_EveryWidth_EqualsTheOneRowProduct(int rows, int columns, int count)
    {
        var random = new Random((rows * 100) + columns + count);
        float[] weights = Uniform(random, rows * columns, -1, 1);
        int xStride = columns + 3, yStride = rows + 5;
        float[] x = Uniform(random, count * xStride, -2, 3);
        foreach (int lanes in Widths)
        {
            var matrix = new Int8Matrix(rows, weights, columns, [], 0, lanes);
            float[] batch = Uniform(new Random(1), count * yStride, -1, 1), single = (float[])batch.Clone();
            matrix.MultiplyAddRows(x, xStride, batch, yStride, count);
            for (int k = 0; k < count; k++)
            {
                matrix.MultiplyAdd(x.AsSpan(k * xStride, columns), single.AsSpan(k * yStride, rows));
            }

            Assert.Equal(single, batch); // the rows' own results, and nothing written between rows
        }
    }

    [Fact]
    public void MultiplyAddRows_NonFiniteRow_GivesNaNInThatRowOnly()
    {
        var random = new Random(5);
        const int rows = 9, columns = 20, count = 4;
        var matrix = new Int8Matrix(rows, Uniform(random, rows * columns, -1, 1), columns, [], 0);
        float[] x = Uniform(random, count * columns, -1, 1);
        x[(2 * columns) + 3] = float.NaN;
        float[] y = new float[count * rows];
        matrix.MultiplyAddRows(x, columns, y, rows, count);

        for (int k = 0; k < count; k++)
        {
            Assert.All(y.AsSpan(k * rows, rows).ToArray(), v => Assert.Equal(k == 2, float.IsNaN(v)));
        }
    }

    private static float[] Uniform(Random random, int count, float low, float high)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = low + ((high - low) * (float)random.NextDouble());
        }

        return values;
    }
}
