using System;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public class GradientClippingTests
{
    [Fact]
    public void ClipGlobalNorm_AboveLimit_ScalesToMaxNormAndReturnsPreClipNorm()
    {
        float[] gradient = [3f, 4f];

        float norm = GradientClipping.ClipGlobalNorm(gradient, 1f);

        Assert.Equal(5f, norm);
        Assert.Equal([0.6f, 0.8f], gradient, new ToleranceComparer(1e-7));
    }

    [Fact]
    public void ClipGlobalNorm_UnderLimit_LeavesGradientBitIdentical()
    {
        float[] gradient = SgdOptimizerTests.RandomVector(new Random(3), 101);
        float[] original = (float[])gradient.Clone();

        float norm = GradientClipping.ClipGlobalNorm(gradient, 100f);

        Assert.True(norm < 100f);
        Assert.Equal(original, gradient);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(257)]
    public void GlobalNorm_AnyLength_MatchesDoubleReference(int length)
    {
        float[] values = SgdOptimizerTests.RandomVector(new Random(length), length);
        double expected = 0;
        foreach (float x in values)
        {
            expected += (double)x * x;
        }

        Assert.Equal(Math.Sqrt(expected), GradientClipping.GlobalNorm(values), 1e-12);
    }

    [Fact]
    public void ClipGlobalNorm_ClippedVector_HasNormMaxNorm()
    {
        float[] gradient = SgdOptimizerTests.RandomVector(new Random(4), 1000);

        GradientClipping.ClipGlobalNorm(gradient, 0.5f);

        Assert.Equal(0.5, GradientClipping.GlobalNorm(gradient), 1e-6);
    }

    [Fact]
    public void ClipGlobalNorm_NonFiniteElement_ReturnsNonFiniteNormAndLeavesGradient()
    {
        float[] gradient = [1f, float.NaN, 2f];

        float norm = GradientClipping.ClipGlobalNorm(gradient, 1f);

        Assert.True(float.IsNaN(norm));
        Assert.Equal(1f, gradient[0]);
        Assert.Equal(2f, gradient[2]);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void ClipGlobalNorm_MaxNormNotPositive_Throws(float maxNorm)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGlobalNorm(new float[2], maxNorm));

        Assert.Equal("maxNorm", error.ParamName);
    }
}
