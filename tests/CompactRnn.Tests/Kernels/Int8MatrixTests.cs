using System;
using System.Linq;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>
/// The int8 streaming GEMV (int8 weights, 7-bit inputs, exact integer sums) at every width (unaccelerated widths run in
/// software) against double references: within the derived bound <c>s_i·(σ/2)(1 + 10⁻⁴)·Σ_p |q_ip|</c> of the
/// dequantized weights, within <c>(s_i/2)·Σ_p |x_p|</c> more of the original ones, the same bits on every width, and
/// exact (to float32 rounding) where x is representable, which only a right offset correction gives.
/// </summary>
public sealed class Int8MatrixTests
{
    private static readonly int[] Widths = [16, 8, 4, 1];

    [Theory]
    [InlineData(1, 1, 0, -1f, 1f), InlineData(3, 5, 2, -1f, 1f), InlineData(4, 32, 0, 0f, 2f), InlineData(7, 40, 9, -3f, 0.5f)]
    [InlineData(13, 100, 33, -1f, 1f), InlineData(64, 17, 64, 4f, 6f), InlineData(768, 26, 26, -1f, 1f), InlineData(9, 64, 64, -0.25f, 1f)]
    public void MultiplyAdd_EveryWidth_SameBitsWithinDerivedBound(int rows, int leftColumns, int rightColumns, float low, float high)
    {
        var random = new Random((rows * 1000) + leftColumns + rightColumns);
        float[] left = Uniform(random, rows * leftColumns, -1, 1), right = Uniform(random, rows * rightColumns, -1, 1);
        if (rows > 2)
        {
            left.AsSpan(leftColumns, leftColumns).Clear(); // a zero row (scale 0)
            right.AsSpan(rightColumns, rightColumns).Clear();
        }

        int columns = leftColumns + rightColumns;
        float[] x = Uniform(random, columns, low, high);
        float step = (x.Max() - x.Min()) / 127f;
        float[]? first = null;
        foreach (int lanes in Widths)
        {
            var matrix = new Int8Matrix(rows, left, leftColumns, right, rightColumns, lanes);
            Assert.Equal(columns, matrix.PaddedColumns);
            Assert.Equal(((rows + 3) / 4 * 4 * ((columns + 3) / 4 * 4)) + 64 + (8L * rows), matrix.Bytes);
            float[] y = new float[rows + 1];
            Array.Fill(y, 0.5f);
            matrix.MultiplyAdd(x, y);
            Assert.Equal(0.5f, y[rows]); // nothing written past m
            first ??= y;
            Assert.Equal(first, y); // exact integer sums, the same scalar epilogue: the same bits on every width
            for (int i = 0; i < rows; i++)
            {
                double scale = matrix.Scales[i], dequantized = 0.5, exact = 0.5, weights = 0, inputs = 0, magnitude = 0;
                for (int p = 0; p < columns; p++)
                {
                    float w = p < leftColumns ? left[(i * leftColumns) + p] : right[(i * rightColumns) + p - leftColumns];
                    double q = scale > 0 ? Math.Clamp(Math.Round(w / scale), -127, 127) : 0;
                    Assert.True(Math.Abs((q * scale) - w) <= (scale / 2) * (1 + 1e-6), $"row {i}: {w} -> {q}·{scale}");
                    dequantized += q * scale * x[p];
                    exact += (double)w * x[p];
                    weights += Math.Abs(q);
                    inputs += Math.Abs(x[p]);
                    magnitude += Math.Abs(q) * scale * (Math.Abs(x[p]) + step + Math.Abs(low));
                }

                double rounding = (6 * Math.Pow(2, -24) * ((3 * magnitude) + Math.Abs(y[i]))) + 1e-7;
                double inputBound = (scale * (step / 2) * (1 + 1e-4) * weights) + rounding;
                Assert.True(Math.Abs(y[i] - dequantized) <= inputBound, $"lanes {lanes} row {i}: {y[i]} vs {dequantized}, bound {inputBound}");
                Assert.True(Math.Abs(y[i] - exact) <= (scale / 2 * inputs) + inputBound, $"lanes {lanes} row {i}: {y[i]} vs {exact}");
            }
        }
    }

    [Theory]
    [InlineData(5f, 0.5f)]
    [InlineData(-7.25f, 0.25f)]
    public void MultiplyAdd_InputsOnTheGrid_ExactUpToFloatRounding(float low, float step)
    {
        // x_p = lo + σ·k_p with k spanning 0…127 is rounded to itself, so only float32 rounding is left; a missing or
        // wrong offset term lo·c_i would be off by about |lo|·s_i·|Σ_p q_ip|, far beyond it.
        const int Rows = 11, Columns = 150;
        var random = new Random(17);
        float[] weights = Uniform(random, Rows * Columns, -1, 1);
        float[] x = new float[Columns];
        for (int p = 0; p < Columns; p++)
        {
            x[p] = low + (step * (p == 0 ? 0 : p == 1 ? 127 : random.Next(128)));
        }

        foreach (int lanes in Widths)
        {
            var matrix = new Int8Matrix(Rows, weights, Columns, [], 0, lanes);
            float[] y = new float[Rows];
            matrix.MultiplyAdd(x, y);
            for (int i = 0; i < Rows; i++)
            {
                double scale = matrix.Scales[i], reference = 0, magnitude = 0, offsetShare = 0;
                for (int p = 0; p < Columns; p++)
                {
                    double q = Math.Round(weights[(i * Columns) + p] / scale);
                    reference += q * scale * x[p];
                    magnitude += Math.Abs(q) * scale * (Math.Abs(x[p]) + (127 * step) + Math.Abs(low));
                    offsetShare += q * scale * low;
                }

                double rounding = 6 * Math.Pow(2, -24) * (magnitude + Math.Abs(y[i]));
                Assert.True(Math.Abs(y[i] - reference) <= rounding, $"lanes {lanes} row {i}: {y[i]} vs {reference}, rounding bound {rounding}");
                Assert.True(Math.Abs(offsetShare) > 100 * rounding, $"row {i}: the offset term {offsetShare} would not be caught");
            }
        }
    }

    [Fact]
    public void MultiplyAdd_ConstantInput_UsesTheOffsetAlone()
    {
        float[] weights = [0.5f, -1f, 0.25f, 1f, 1f, 1f];
        foreach (int lanes in Widths)
        {
            var matrix = new Int8Matrix(2, weights, 3, [], 0, lanes);
            float[] y = new float[2];
            matrix.MultiplyAdd([2f, 2f, 2f], y);
            double scale = matrix.Scales[0]; // 1/127: q = (64, −127, 32) (63.5 and 31.75 round to even)
            Assert.Equal(2 * scale * (64 - 127 + 32), y[0], 6);
            Assert.Equal(6f, y[1], 6); // row 1 is exact in int8
        }
    }

    [Theory]
    [InlineData(float.NaN), InlineData(float.PositiveInfinity)]
    public void MultiplyAdd_NonFiniteInput_GivesNaN(float bad)
    {
        foreach (int lanes in Widths)
        {
            var matrix = new Int8Matrix(5, Uniform(new Random(1), 5 * 7, -1, 1), 7, [], 0, lanes);
            float[] x = Uniform(new Random(2), 7, -1, 1);
            x[3] = bad;
            float[] y = new float[5];
            matrix.MultiplyAdd(x, y);
            Assert.All(y, value => Assert.True(float.IsNaN(value)));
        }
    }

    [Fact]
    public void MultiplyAdd_RangeBeyondFloat32_GivesNaN()
    {
        var matrix = new Int8Matrix(1, [1f, 1f], 2, [], 0);
        float[] y = new float[1];
        matrix.MultiplyAdd([-3e38f, 3e38f], y);
        Assert.True(float.IsNaN(y[0]));
    }

    /// <summary>
    /// The packed stream starts on a 64-byte boundary at every width and stays there through a compacting collection:
    /// a plain managed array started at any multiple of 8 bytes within a line, so most 64-byte loads straddled two
    /// lines (docs/benchmarks.md, int8 weights). The reported bytes count the stream and its slack, not the alignment.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 0), InlineData(7, 40, 9), InlineData(13, 100, 33), InlineData(2048, 512, 512)]
    public void Packed_EveryWidth_StartsOn64ByteBoundary(int rows, int leftColumns, int rightColumns)
    {
        var random = new Random(rows + leftColumns);
        float[] left = Uniform(random, rows * leftColumns, -1, 1), right = Uniform(random, rows * rightColumns, -1, 1);
        int stored = (leftColumns + rightColumns + 3) / 4 * 4;
        foreach (int lanes in Widths)
        {
            var matrix = new Int8Matrix(rows, left, leftColumns, right, rightColumns, lanes);
            Assert.Equal(((rows + 3) / 4 * 4 * stored) + Int8Gemv.Slack, matrix.Packed.Length);
            Assert.Equal(matrix.Packed.Length + (8L * rows), matrix.Bytes);
            Assert.True(matrix.Packed[^Int8Gemv.Slack..].IndexOfAnyExcept((sbyte)0) < 0, "the slack is not zero");
            long address = AddressOf(matrix.Packed);
            Assert.True(address % 64 == 0, $"lanes {lanes}: the stream starts at {address % 64} bytes past a 64-byte line");
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            Assert.Equal(address, AddressOf(matrix.Packed));
        }
    }

    [Fact]
    public void Constructor_UnsupportedLanes_ThrowsNamingLanes()
        => Assert.Equal("lanes", Assert.Throws<ArgumentOutOfRangeException>(() => new Int8Matrix(2, new float[4], 2, [], 0, lanes: 2)).ParamName);

    [Fact]
    public void Constructor_RowsTooWideForInt32Sums_ThrowsNamingTheColumns()
    {
        Assert.Equal(133_144, Int8Matrix.MaxColumns);
        Assert.Equal("rightColumns", Assert.Throws<ArgumentOutOfRangeException>(() => new Int8Matrix(1, new float[100_000], 100_000, new float[33_145], 33_145)).ParamName);
    }

    [Fact]
    public void Constructor_NonFiniteWeight_ThrowsNamingTheArgument()
    {
        float[] left = [1f, float.NaN, 2f, 3f];
        Assert.Equal("left", Assert.Throws<ArgumentException>(() => new Int8Matrix(2, left, 2, [], 0)).ParamName);
    }

    /// <summary>The address of a span's first element (its offset from the null reference).</summary>
    private static long AddressOf(ReadOnlySpan<sbyte> span)
        => Unsafe.ByteOffset(ref Unsafe.NullRef<sbyte>(), ref MemoryMarshal.GetReference(span));

    private static float[] Uniform(Random random, int count, float low, float high)
    {
        float[] values = new float[count];
        for (int k = 0; k < count; k++)
        {
            values[k] = low + ((high - low) * (float)random.NextDouble());
        }

        return values;
    }
}
