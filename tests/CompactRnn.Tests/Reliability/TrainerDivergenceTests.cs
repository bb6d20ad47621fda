using System;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Tests.Training;
using CompactRnn.Training;

namespace CompactRnn.Tests.Reliability;

/// <summary>Issue #13 defect 4: an overflowing update must not leave NaN or ±∞ parameters behind.</summary>
public class TrainerDivergenceTests
{
    private static (LstmNetwork Network, float[] Parameters) Network()
    {
        var network = new LstmNetwork(new LstmNetworkOptions
        {
            InputSize = 3,
            Layers = NetworkSpec.Parse("dense x1", new LstmLayerOptions { HiddenSize = 8 }),
            OutputSize = 3,
        });
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed: 4);
        return (network, parameters);
    }

    [Fact]
    public void Train_StepThatOverflowsParameters_ThrowsAndRestoresTheLastGoodParameters()
    {
        // With finite loss and gradients, η·λ = ∞ still turns every parameter into ±∞ or NaN on the first step.
        var (network, parameters) = Network();
        float[] before = (float[])parameters.Clone();
        var optimizer = new SgdOptimizer(network.ParameterCount, new ConstantSchedule(float.MaxValue), weightDecay: 10f);
        var trainer = new BpttTrainer(network, parameters, optimizer, new TrainerOptions { Epochs = 1, BatchSize = 8, Seed = 1 });

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train(new DelayedArgMaxDataset(16, seed: 1), null));

        Assert.Equal(0, error.Update);
        Assert.Contains("after the optimiser step", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, parameters);
    }

    [Fact]
    public void Train_OverflowAfterSomeGoodUpdates_KeepsTheLastGoodUpdate()
    {
        var (network, parameters) = Network();
        float[] initial = (float[])parameters.Clone();
        var schedule = new StepFunctionSchedule(goodSteps: 2, good: 0.01f, bad: float.MaxValue);
        var optimizer = new SgdOptimizer(network.ParameterCount, schedule, weightDecay: 10f);
        var trainer = new BpttTrainer(network, parameters, optimizer, new TrainerOptions { Epochs = 2, BatchSize = 8, Seed = 1 });

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train(new DelayedArgMaxDataset(16, seed: 1), null));

        Assert.Equal(2, error.Update);
        Assert.True(NonFiniteDetector.AreAllFinite(parameters));
        Assert.NotEqual(initial, parameters); // the two good updates are kept
    }

    [Fact]
    public void Train_AdamAtTheLargestLearningRate_NeverLeavesNonFiniteParameters()
    {
        var (network, parameters) = Network();
        var trainer = new BpttTrainer(network, parameters, new AdamOptimizer(network.ParameterCount, new ConstantSchedule(3e38f)),
            new TrainerOptions { Epochs = 3, BatchSize = 8, Seed = 1 });

        try
        {
            trainer.Train(new DelayedArgMaxDataset(32, seed: 1), null);
        }
        catch (TrainingDivergedException)
        {
            // Expected for most seeds; either way the parameters must be finite.
        }

        Assert.True(NonFiniteDetector.AreAllFinite(parameters));
    }

    private sealed class StepFunctionSchedule(int goodSteps, float good, float bad) : ILearningRateSchedule
    {
        public float GetRate(int stepIndex) => stepIndex < goodSteps ? good : bad;
    }
}
