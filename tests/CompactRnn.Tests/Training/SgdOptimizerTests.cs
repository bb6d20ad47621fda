using System;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public class SgdOptimizerTests
{
    // Odd length so the vectorised body and the scalar tail of TensorPrimitives both run.
    private const int Length = 37;

    [Fact]
    public void Step_PlainSgd_MatchesHandComputedUpdate()
    {
        var optimizer = new SgdOptimizer(3, learningRate: 0.1f);
        float[] theta = [1f, -2f, 0.5f];
        float[] gradient = [0.5f, 1f, -4f];

        float rate = optimizer.Step(theta, gradient);

        Assert.Equal(0.1f, rate);
        Assert.Equal(1, optimizer.StepCount);
        Assert.Equal([0.95f, -2.1f, 0.9f], theta, new ToleranceComparer(1e-6));
    }

    [Fact]
    public void Step_WeightDecayWithoutMomentum_AddsLambdaThetaToGradient()
    {
        var optimizer = new SgdOptimizer(1, learningRate: 0.1f, weightDecay: 0.5f);
        float[] theta = [2f];

        optimizer.Step(theta, [1f]);

        Assert.Equal(1.8f, theta[0], 6); // 2 − 0.1·(1 + 0.5·2)
    }

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(true, 0f)]
    [InlineData(false, 0.01f)]
    [InlineData(true, 0.01f)]
    public void Step_MomentumOverThreeSteps_MatchesDoubleReference(bool nesterov, float weightDecay)
    {
        const float Rate = 0.05f;
        const float Momentum = 0.9f;
        var random = new Random(11);
        float[] theta = RandomVector(random, Length);
        double[] expected = Array.ConvertAll(theta, x => (double)x);
        var velocity = new double[Length];
        var optimizer = new SgdOptimizer(Length, Rate, Momentum, nesterov, weightDecay);

        for (int step = 0; step < 3; step++)
        {
            float[] gradient = RandomVector(random, Length);
            optimizer.Step(theta, gradient);
            for (int i = 0; i < Length; i++)
            {
                double g = gradient[i] + (double)weightDecay * expected[i];
                velocity[i] = Momentum * velocity[i] + g;
                double direction = nesterov ? g + Momentum * velocity[i] : velocity[i];
                expected[i] -= Rate * direction;
            }
        }

        for (int i = 0; i < Length; i++)
        {
            Assert.Equal(expected[i], theta[i], 1e-5);
            Assert.Equal(velocity[i], optimizer.GetState(0)[i], 1e-5);
        }
    }

    [Fact]
    public void Step_NesterovAndHeavyBall_TakeDifferentSecondSteps()
    {
        float[] plain = [1f];
        float[] nesterov = [1f];
        var plainOptimizer = new SgdOptimizer(1, 0.1f, momentum: 0.5f);
        var nesterovOptimizer = new SgdOptimizer(1, 0.1f, momentum: 0.5f, nesterov: true);

        plainOptimizer.Step(plain, [1f]);
        nesterovOptimizer.Step(nesterov, [1f]);

        // Heavy ball: v = 1, θ = 1 − 0.1 = 0.9. Nesterov: v = 1, d = 1 + 0.5·1, θ = 1 − 0.15 = 0.85.
        Assert.Equal(0.9f, plain[0], 6);
        Assert.Equal(0.85f, nesterov[0], 6);
    }

    [Fact]
    public void Step_SchedulePerStep_UsesRateAtStepIndex()
    {
        var optimizer = new SgdOptimizer(1, new StepDecaySchedule(1f, stepSize: 1, gamma: 0.5));
        float[] theta = [0f];

        float first = optimizer.Step(theta, [1f]);
        float second = optimizer.Step(theta, [1f]);

        Assert.Equal(1f, first);
        Assert.Equal(0.5f, second);
        Assert.Equal(-1.5f, theta[0]);
    }

    [Fact]
    public void Step_AfterWarmUp_AllocatesNothing()
    {
        var optimizer = new SgdOptimizer(1000, 0.01f, momentum: 0.9f, nesterov: true, weightDecay: 1e-4f);
        var theta = new float[1000];
        var gradient = new float[1000];
        optimizer.Step(theta, gradient);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            optimizer.Step(theta, gradient);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Step_WrongGradientLength_ThrowsNamingGradients()
    {
        var optimizer = new SgdOptimizer(3, 0.1f);

        var error = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[3], new float[2]));

        Assert.Equal("gradients", error.ParamName);
        Assert.Contains("Expected 3 floats, got 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NesterovWithoutMomentum_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new SgdOptimizer(3, 0.1f, momentum: 0f, nesterov: true));

        Assert.Equal("nesterov", error.ParamName);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void Constructor_MomentumOutOfRange_Throws(float momentum)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer(3, 0.1f, momentum));

        Assert.Equal("momentum", error.ParamName);
    }

    [Fact]
    public void StateNames_WithoutMomentum_AreEmpty()
    {
        Assert.Empty(new SgdOptimizer(3, 0.1f).StateNames);
        Assert.Equal(["sgd.velocity"], new SgdOptimizer(3, 0.1f, momentum: 0.9f).StateNames);
    }

    internal static float[] RandomVector(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2.0 - 1.0);
        }

        return values;
    }
}
