using System;
using System.Linq;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>The split-complex pointwise product on every lane width against a double reference.</summary>
public sealed class ComplexSpansTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Multiply_AllLengthsAndLanePaths_MatchesScalarReference(bool conjugateA, bool accumulate)
    {
        var random = new Random(conjugateA ? 1 : 2);
        foreach (int length in Enumerable.Range(0, 41).Append(257))
        {
            float[] ar = Random(random, length), ai = Random(random, length), br = Random(random, length), bi = Random(random, length);
            float[] initialRe = Random(random, length), initialIm = Random(random, length);
            foreach (int laneLimit in new[] { 1, 4, 8, 16 })
            {
                // Destination with sentinels on both sides.
                float[] dr = [-7f, .. initialRe, -7f], di = [-7f, .. initialIm, -7f];
                ComplexSpans.Multiply(ar, ai, br, bi, dr.AsSpan(1, length), di.AsSpan(1, length), conjugateA, accumulate, laneLimit);
                for (int i = 0; i < length; i++)
                {
                    double xr = ar[i], xi = conjugateA ? -ai[i] : ai[i];
                    double expectedRe = (xr * br[i]) - (xi * bi[i]) + (accumulate ? initialRe[i] : 0);
                    double expectedIm = (xr * bi[i]) + (xi * br[i]) + (accumulate ? initialIm[i] : 0);
                    Assert.True(Math.Abs(expectedRe - dr[i + 1]) <= 1e-6 && Math.Abs(expectedIm - di[i + 1]) <= 1e-6,
                        $"length {length} lanes {laneLimit} element {i}: ({dr[i + 1]}, {di[i + 1]}) vs ({expectedRe}, {expectedIm})");
                }

                Assert.True(dr[0] == -7f && di[0] == -7f && dr[^1] == -7f && di[^1] == -7f, $"sentinel overwritten, length {length} lanes {laneLimit}");
            }
        }
    }

    [Fact]
    public void Multiply_DestinationAliasesInput_GivesTheSameResult()
    {
        var random = new Random(3);
        float[] ar = Random(random, 37), ai = Random(random, 37), br = Random(random, 37), bi = Random(random, 37);
        float[] expectedRe = new float[37], expectedIm = new float[37];
        ComplexSpans.Multiply(ar, ai, br, bi, expectedRe, expectedIm, conjugateA: true, accumulate: false);
        ComplexSpans.Multiply(ar, ai, br, bi, ar, ai, conjugateA: true, accumulate: false);
        Assert.Equal(expectedRe, ar);
        Assert.Equal(expectedIm, ai);
    }

    private static float[] Random(Random random, int length) => Enumerable.Range(0, length).Select(_ => (float)((2 * random.NextDouble()) - 1)).ToArray();
}
