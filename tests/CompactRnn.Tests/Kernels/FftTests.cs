using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>The any-length FFT against an O(N²) DFT in double, on every lane width.</summary>
public sealed class FftTests
{
    /// <summary>Lengths 1…64 (all small radices, primes, the direct odd radix), and larger mixed and Bluestein cases.</summary>
    public static TheoryData<int> Lengths
    {
        get
        {
            var data = new TheoryData<int>();
            foreach (int n in Enumerable.Range(1, 64).Concat([97, 128, 134, 257, 1000, 1024, 2048]))
            {
                data.Add(n);
            }

            return data;
        }
    }

    /// <summary>Lane caps that force each width path: scalar, 128, 256 and 512 bits.</summary>
    private static readonly int[] LaneLimits = [1, 4, 8, 16];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Transform_RandomInput_MatchesNaiveDft(int n)
    {
        var random = new Random(n);
        double[] re = RandomValues(random, n), im = RandomValues(random, n);
        (double[] expectedRe, double[] expectedIm) = NaiveDft(re, im, sign: -1);
        FftPlan plan = FftPlan.ForLength(n);
        foreach (int laneLimit in LaneLimits)
        {
            float[] actualRe = re.Select(v => (float)v).ToArray(), actualIm = im.Select(v => (float)v).ToArray();
            float[] scratch = Sentinel(plan.ScratchLength + 8);
            plan.Transform(actualRe, actualIm, scratch.AsSpan(4, plan.ScratchLength), laneLimit);
            AssertRelativeError(expectedRe, expectedIm, actualRe, actualIm, Tolerance(n), $"N={n} lanes={laneLimit}");
            Assert.True(scratch.Take(4).Concat(scratch.TakeLast(4)).All(v => v == 12345f), "scratch padding was written");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Inverse_OfForward_ReturnsNTimesTheInput(int n)
    {
        var random = new Random(1000 + n);
        float[] re = RandomValues(random, n).Select(v => (float)v).ToArray(), im = RandomValues(random, n).Select(v => (float)v).ToArray();
        float[] roundRe = (float[])re.Clone(), roundIm = (float[])im.Clone();
        FftPlan plan = FftPlan.ForLength(n);
        float[] scratch = new float[plan.ScratchLength];
        plan.Forward(roundRe, roundIm, scratch);
        plan.Inverse(roundRe, roundIm, scratch);
        double[] expectedRe = re.Select(v => (double)v * n).ToArray(), expectedIm = im.Select(v => (double)v * n).ToArray();
        AssertRelativeError(expectedRe, expectedIm, roundRe, roundIm, 2 * Tolerance(n), $"round trip N={n}");
    }

    [Fact]
    public void Inverse_MatchesNaiveInverseDft()
    {
        const int n = 60;
        var random = new Random(5);
        double[] re = RandomValues(random, n), im = RandomValues(random, n);
        (double[] expectedRe, double[] expectedIm) = NaiveDft(re, im, sign: +1);
        float[] actualRe = re.Select(v => (float)v).ToArray(), actualIm = im.Select(v => (float)v).ToArray();
        FftPlan plan = FftPlan.ForLength(n);
        plan.Inverse(actualRe, actualIm, new float[plan.ScratchLength]);
        AssertRelativeError(expectedRe, expectedIm, actualRe, actualIm, Tolerance(n), "inverse");
    }

    [Fact]
    public void ForLength_LargePrimeAndSmoothLengths_PickBluesteinOnlyForLargePrimes()
    {
        Assert.True(FftPlan.ForLength(257).UsesBluestein);
        Assert.True(FftPlan.ForLength(2 * 67).UsesBluestein);
        Assert.False(FftPlan.ForLength(61).UsesBluestein);
        Assert.False(FftPlan.ForLength(1000).UsesBluestein);
        Assert.Same(FftPlan.ForLength(1000), FftPlan.ForLength(1000));
    }

    [Fact]
    public void Transform_SameInput_GivesIdenticalBits()
    {
        var random = new Random(3);
        float[] re = RandomValues(random, 1000).Select(v => (float)v).ToArray(), im = new float[1000];
        float[] firstRe = (float[])re.Clone(), firstIm = (float[])im.Clone(), secondRe = (float[])re.Clone(), secondIm = (float[])im.Clone();
        FftPlan plan = FftPlan.ForLength(1000);
        plan.Forward(firstRe, firstIm, new float[plan.ScratchLength]);
        plan.Forward(secondRe, secondIm, new float[plan.ScratchLength]);
        Assert.Equal(firstRe, secondRe);
        Assert.Equal(firstIm, secondIm);
    }

    /// <summary>Relative L2 error bound of a float FFT: a few ε_float per pass (log₂N), plus Bluestein's extra convolution.</summary>
    internal static double Tolerance(int n) => 3e-7 * (4 + (2 * Math.Log2(n)));

    internal static (double[] Re, double[] Im) NaiveDft(IReadOnlyList<double> re, IReadOnlyList<double> im, int sign)
    {
        int n = re.Count;
        double[] outRe = new double[n], outIm = new double[n];
        for (int k = 0; k < n; k++)
        {
            double sumRe = 0, sumIm = 0;
            for (int j = 0; j < n; j++)
            {
                double angle = sign * 2.0 * Math.PI * ((long)j * k % n) / n;
                double c = Math.Cos(angle), s = Math.Sin(angle);
                sumRe += (re[j] * c) - (im[j] * s);
                sumIm += (re[j] * s) + (im[j] * c);
            }

            outRe[k] = sumRe;
            outIm[k] = sumIm;
        }

        return (outRe, outIm);
    }

    private static void AssertRelativeError(double[] expectedRe, double[] expectedIm, float[] actualRe, float[] actualIm, double tolerance, string what)
    {
        double error = 0, norm = 0;
        for (int i = 0; i < expectedRe.Length; i++)
        {
            double dr = expectedRe[i] - actualRe[i], di = expectedIm[i] - actualIm[i];
            error += (dr * dr) + (di * di);
            norm += (expectedRe[i] * expectedRe[i]) + (expectedIm[i] * expectedIm[i]);
        }

        double relative = Math.Sqrt(error / Math.Max(norm, 1e-300));
        Assert.True(relative <= tolerance, $"{what}: relative L2 error {relative:E2} > {tolerance:E2}");
    }

    private static double[] RandomValues(Random random, int n) => Enumerable.Range(0, n).Select(_ => (2 * random.NextDouble()) - 1).ToArray();

    private static float[] Sentinel(int length) => Enumerable.Repeat(12345f, length).ToArray();
}
