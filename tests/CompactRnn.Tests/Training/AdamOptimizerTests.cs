using System;
using System.Linq;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public class AdamOptimizerTests
{
    private const int Length = 37;

    [Theory]
    [InlineData(0f, false)]
    [InlineData(0.1f, false)]
    [InlineData(0.1f, true)]
    public void Step_FourSteps_MatchesDoubleReference(float weightDecay, bool decoupled)
    {
        const float Rate = 0.01f;
        const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
        var random = new Random(5);
        float[] theta = SgdOptimizerTests.RandomVector(random, Length);
        double[] expected = Array.ConvertAll(theta, x => (double)x);
        var m = new double[Length];
        var v = new double[Length];
        var optimizer = new AdamOptimizer(Length, new ConstantSchedule(Rate), weightDecay: weightDecay, decoupledWeightDecay: decoupled);

        for (int step = 1; step <= 4; step++)
        {
            float[] gradient = SgdOptimizerTests.RandomVector(random, Length);
            optimizer.Step(theta, gradient);
            for (int i = 0; i < Length; i++)
            {
                double g = gradient[i] + (decoupled ? 0.0 : weightDecay * expected[i]);
                if (decoupled)
                {
                    expected[i] *= 1.0 - Rate * weightDecay;
                }

                m[i] = Beta1 * m[i] + (1 - Beta1) * g;
                v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(Beta1, step));
                double vHat = v[i] / (1 - Math.Pow(Beta2, step));
                expected[i] -= Rate * mHat / (Math.Sqrt(vHat) + Epsilon);
            }
        }

        for (int i = 0; i < Length; i++)
        {
            Assert.Equal(expected[i], theta[i], 1e-5);
            Assert.Equal(m[i], optimizer.GetState(0)[i], 1e-6);
            Assert.Equal(v[i], optimizer.GetState(1)[i], 1e-6);
        }
    }

    [Fact]
    public void Step_IdenticalInputs_VectorBodyAndScalarTailGiveIdenticalBits()
    {
        var optimizer = new AdamOptimizer(Length, new ConstantSchedule(0.003f), weightDecay: 0.1f, decoupledWeightDecay: true);
        float[] theta = [.. Enumerable.Repeat(0.7f, Length)];
        float[] gradient = [.. Enumerable.Repeat(-0.123f, Length)];

        for (int i = 0; i < 3; i++)
        {
            optimizer.Step(theta, gradient);
        }

        Assert.All(theta, x => Assert.Equal(BitConverter.SingleToInt32Bits(theta[0]), BitConverter.SingleToInt32Bits(x)));
    }

    [Fact]
    public void Step_FirstStep_MovesEachParameterByRate()
    {
        // With bias correction the first Adam step is η·g/(|g| + ε/…) ≈ η·sign(g) whatever |g| is.
        var optimizer = new AdamOptimizer(3, new ConstantSchedule(0.1f));
        float[] theta = [0f, 0f, 0f];

        optimizer.Step(theta, [1000f, -0.001f, 3f]);

        Assert.Equal([-0.1f, 0.1f, -0.1f], theta, new ToleranceComparer(1e-5));
    }

    [Fact]
    public void Step_ZeroGradient_AdamWDecaysParametersButL2AdamNormalisesTheDecay()
    {
        const float Rate = 0.1f, Lambda = 0.5f;
        var adamW = new AdamOptimizer(1, new ConstantSchedule(Rate), weightDecay: Lambda, decoupledWeightDecay: true);
        var adamL2 = new AdamOptimizer(1, new ConstantSchedule(Rate), weightDecay: Lambda, decoupledWeightDecay: false);
        float[] decoupled = [4f];
        float[] coupled = [4f];

        adamW.Step(decoupled, [0f]);
        adamL2.Step(coupled, [0f]);

        // AdamW: θ·(1 − ηλ) = 4·0.95, untouched by the moments (m = v = 0).
        Assert.Equal(3.8f, decoupled[0], 6);
        Assert.Equal(0f, adamW.GetState(0)[0]);
        // Adam + L2: g = λθ = 2 enters the moments, so the first step is η·sign(g) = 0.1.
        Assert.Equal(3.9f, coupled[0], 5);
        Assert.Equal(0.2f, adamL2.GetState(0)[0], 6);
    }

    [Fact]
    public void Step_StateRestoredIntoNewOptimizer_ContinuesBitIdentically()
    {
        var random = new Random(2);
        float[] start = SgdOptimizerTests.RandomVector(random, Length);
        float[][] gradients = [.. new[] { 0, 1, 2, 3 }.Select(_ => SgdOptimizerTests.RandomVector(random, Length))];
        var schedule = new CosineSchedule(0.01f, totalSteps: 4);
        var original = new AdamOptimizer(Length, schedule, weightDecay: 0.01f, decoupledWeightDecay: true);
        float[] uninterrupted = (float[])start.Clone();
        foreach (float[] gradient in gradients)
        {
            original.Step(uninterrupted, gradient);
        }

        var first = new AdamOptimizer(Length, schedule, weightDecay: 0.01f, decoupledWeightDecay: true);
        float[] resumed = (float[])start.Clone();
        first.Step(resumed, gradients[0]);
        first.Step(resumed, gradients[1]);
        var second = new AdamOptimizer(Length, schedule, weightDecay: 0.01f, decoupledWeightDecay: true) { StepCount = first.StepCount };
        for (int slot = 0; slot < first.StateNames.Count; slot++)
        {
            first.GetState(slot).CopyTo(second.GetState(slot));
        }

        second.Step(resumed, gradients[2]);
        second.Step(resumed, gradients[3]);

        Assert.Equal(uninterrupted, resumed);
    }

    [Fact]
    public void Step_AfterWarmUp_AllocatesNothing()
    {
        var optimizer = new AdamOptimizer(1001, new LinearWarmupSchedule(new ConstantSchedule(1e-3f), 5));
        var theta = new float[1001];
        var gradient = new float[1001];
        optimizer.Step(theta, gradient);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            optimizer.Step(theta, gradient);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Reset_AfterSteps_ZeroesStateAndStepCount()
    {
        var optimizer = new AdamOptimizer(2, new ConstantSchedule(0.1f));
        optimizer.Step(new float[2], [1f, 2f]);

        optimizer.Reset();

        Assert.Equal(0, optimizer.StepCount);
        Assert.All(optimizer.GetState(0).ToArray(), x => Assert.Equal(0f, x));
        Assert.All(optimizer.GetState(1).ToArray(), x => Assert.Equal(0f, x));
    }

    [Theory]
    [InlineData(1f, 0.999f, 1e-8f, "beta1")]
    [InlineData(0.9f, -0.1f, 1e-8f, "beta2")]
    [InlineData(0.9f, 0.999f, 0f, "epsilon")]
    public void Constructor_InvalidHyperparameter_ThrowsNamingIt(float beta1, float beta2, float epsilon, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer(3, new ConstantSchedule(0.1f), beta1, beta2, epsilon));

        Assert.Equal(name, error.ParamName);
    }

    [Fact]
    public void GetState_IndexOutOfRange_Throws()
    {
        var optimizer = new AdamOptimizer(3, new ConstantSchedule(0.1f));

        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.GetState(2));
    }
}
