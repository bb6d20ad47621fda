using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>The shared FFT plan cache stays within its bounds under many distinct sizes, and evicted plans keep working.</summary>
public class FftPlanCacheTests
{
    [Fact]
    public void ManyDistinctLengths_KeepTheCacheWithinItsBounds_AndEvictedPlansStillTransform()
    {
        FftPlan first = FftPlan.ForLength(1009); // a prime: Bluestein with a cached inner plan
        for (int length = 2000; length < 2000 + (3 * FftPlan.MaxCachedPlans); length++)
        {
            FftPlan.ForLength(length);
            Assert.InRange(FftPlan.CachedPlanCount, 1, FftPlan.MaxCachedPlans);
            Assert.InRange(FftPlan.CachedFloats, 1, FftPlan.MaxCachedFloats);
        }

        // The first plan has been evicted by now but is still a valid transform: x = δ_0 gives X_k = 1.
        float[] re = new float[1009], im = new float[1009], scratch = new float[first.ScratchLength];
        re[0] = 1f;
        first.Forward(re, im, scratch);
        Assert.All(re, v => Assert.Equal(1f, v, 1e-4f));
        Assert.All(im, v => Assert.Equal(0f, v, 1e-4f));
    }

    [Fact]
    public void SameLength_ReturnsTheCachedInstance()
    {
        Assert.Same(FftPlan.ForLength(4096), FftPlan.ForLength(4096));
        Assert.True(FftPlan.ForLength(4096).Floats > 0);
    }
}
