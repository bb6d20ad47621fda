using System;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void GetRate_Constant_IsTheSameAtEveryStep()
    {
        var schedule = new ConstantSchedule(0.25f);

        Assert.Equal(0.25f, schedule.GetRate(0));
        Assert.Equal(0.25f, schedule.GetRate(1_000_000));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(9, 1.0)]
    [InlineData(10, 0.1)]
    [InlineData(25, 0.01)]
    public void GetRate_StepDecay_DropsByGammaEveryStepSize(int step, double expected)
    {
        var schedule = new StepDecaySchedule(1f, stepSize: 10, gamma: 0.1);

        Assert.Equal(expected, schedule.GetRate(step), 1e-7);
    }

    [Theory]
    [InlineData(0, 2.0)]
    [InlineData(50, 1.0)]
    [InlineData(100, 0.5)]
    [InlineData(25, 1.4142135623730951)]
    public void GetRate_ExponentialDecay_HalvesEveryDecaySteps(int step, double expected)
    {
        var schedule = new ExponentialDecaySchedule(2f, gamma: 0.5, decaySteps: 50);

        Assert.Equal(expected, schedule.GetRate(step), 1e-6);
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(50, 0.55)]
    [InlineData(100, 0.1)]
    [InlineData(500, 0.1)]
    [InlineData(25, 0.86819805153394639)] // 0.1 + 0.9·(1 + cos(π/4))/2
    public void GetRate_Cosine_AnnealsToFinalRate(int step, double expected)
    {
        var schedule = new CosineSchedule(1f, totalSteps: 100, finalRate: 0.1f);

        Assert.Equal(expected, schedule.GetRate(step), 1e-6);
    }

    [Theory]
    [InlineData(0, 0.25)]
    [InlineData(2, 0.75)]
    [InlineData(3, 1.0)]
    [InlineData(4, 0.5)]
    [InlineData(5, 0.25)]
    public void GetRate_WarmupBeforeStepDecay_RampsThenRunsInnerFromItsStart(int step, double expected)
    {
        var schedule = new LinearWarmupSchedule(new StepDecaySchedule(1f, stepSize: 1, gamma: 0.5), warmupSteps: 3);

        Assert.Equal(expected, schedule.GetRate(step), 1e-7);
    }

    [Fact]
    public void GetRate_WarmupOfZeroSteps_IsTheInnerSchedule()
    {
        var inner = new CosineSchedule(1f, 10);
        var schedule = new LinearWarmupSchedule(inner, 0);

        Assert.Equal(inner.GetRate(3), schedule.GetRate(3));
    }

    [Fact]
    public void GetRate_NegativeStep_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(1f).GetRate(-1));
    }

    [Fact]
    public void Constructor_InvalidArguments_ThrowNamingThem()
    {
        Assert.Equal("rate", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(float.NaN)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecaySchedule(1f, 1, 1.5)).ParamName);
        Assert.Equal("totalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1f, 0)).ParamName);
        Assert.Equal("initialRate", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecaySchedule(-1f, 0.5)).ParamName);
    }
}
