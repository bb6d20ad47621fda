using System;
using System.Runtime.Intrinsics;
using CompactRnn.Kernels;
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

            double scalar = SumOfSquaresKernel.Compute<Lanes1, float>(values);

            Assert.Equal(scalar, SumOfSquaresKernel.Compute<Lanes128, Vector128<float>>(values));
            Assert.Equal(scalar, SumOfSquaresKernel.Compute<Lanes256, Vector256<float>>(values));
            Assert.Equal(scalar, SumOfSquaresKernel.Compute<Lanes512, Vector512<float>>(values));
            Assert.Equal(scalar, SumOfSquaresKernel.Compute(values));
            Assert.Equal(ReferenceOrder(values), scalar); // the documented order, written out plainly
        }
    }

    [Fact]
    public void ScalarWidth_MatchesPlainDoubleSumWithinRounding()
    {
        float[] values = SgdOptimizerTests.RandomVector(new Random(32), 1000);
        double expected = 0;
        foreach (float x in values)
        {
            expected += (double)x * x;
        }

        Assert.Equal(expected, SumOfSquaresKernel.Compute<Lanes1, float>(values), 1e-10);
    }

    [Fact]
    public void Compute_OffsetSlice_IgnoresNeighbours()
    {
        float[] values = [1000f, 1f, 2f, 3f, 1000f];

        Assert.Equal(14.0, SumOfSquaresKernel.Compute(values.AsSpan(1, 3)));
    }

    /// <summary>Element i of each block of 16 into double lane i mod 16, a pairwise tree over the lanes, then the tail in order.</summary>
    private static double ReferenceOrder(float[] values)
    {
        double[] lanes = new double[16];
        int blocks = values.Length / 16;
        for (int i = 0; i < blocks * 16; i++)
        {
            lanes[i % 16] += (double)values[i] * values[i];
        }

        for (int width = 8; width >= 1; width /= 2)
        {
            for (int lane = 0; lane < width; lane++)
            {
                lanes[lane] += lanes[lane + width];
            }
        }

        double sum = lanes[0];
        for (int i = blocks * 16; i < values.Length; i++)
        {
            sum += (double)values[i] * values[i];
        }

        return sum;
    }
}
