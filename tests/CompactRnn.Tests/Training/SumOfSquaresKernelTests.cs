using System;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public class SumOfSquaresKernelTests
{
    [Fact]
    public void EveryWidthPath_LengthsZeroTo257_GivesBitIdenticalSums()
    {
        var random = new Random(31);
        for (int length = 0; length <= 257; length++)
        {
            var values = new float[length];
            for (int i = 0; i < length; i++)
            {
                // Wide dynamic range so a different summation order would change the last bits.
                values[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7)));
            }

            double scalar = SumOfSquaresKernel.ScalarPath(values);

            Assert.Equal(scalar, SumOfSquaresKernel.Vector128Path(values));
            Assert.Equal(scalar, SumOfSquaresKernel.Vector256Path(values));
            Assert.Equal(scalar, SumOfSquaresKernel.Vector512Path(values));
            Assert.Equal(scalar, SumOfSquaresKernel.Compute(values));
        }
    }

    [Fact]
    public void ScalarPath_MatchesPlainDoubleSumWithinRounding()
    {
        float[] values = SgdOptimizerTests.RandomVector(new Random(32), 1000);
        double expected = 0;
        foreach (float x in values)
        {
            expected += (double)x * x;
        }

        Assert.Equal(expected, SumOfSquaresKernel.ScalarPath(values), 1e-10);
    }

    [Fact]
    public void Compute_OffsetSlice_IgnoresNeighbours()
    {
        float[] values = [1000f, 1f, 2f, 3f, 1000f];

        Assert.Equal(14.0, SumOfSquaresKernel.Compute(values.AsSpan(1, 3)));
    }
}
