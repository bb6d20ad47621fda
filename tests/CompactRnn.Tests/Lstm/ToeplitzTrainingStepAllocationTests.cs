using System;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

/// <summary>A training step of a Toeplitz-like network allocates nothing after warm-up, on either path.</summary>
public sealed class ToeplitzTrainingStepAllocationTests
{
    [Theory]
    [InlineData("toeplitz:r=3 x2", false)] // at these sizes the default threshold is 1: dense forms
    [InlineData("toeplitz-stacked:r=2 x2", false)]
    [InlineData("toeplitz:r=3 x2", true)]
    public void ForwardBackwardPrepare_AfterWarmUp_AllocatesNothing(string spec, bool fftOnly)
    {
        var network = new LstmNetwork(new LstmNetworkOptions
        {
            InputSize = 6,
            Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = 8, ProjectionSize = 5, Peepholes = true }),
            OutputSize = 4,
        }, denseForms: !fftOnly);
        const int steps = 7, batch = 9;
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed: 2);
        float[] cache = new float[network.CacheSize];
        float[] gradients = new float[network.ParameterCount];
        LstmNetworkTape tape = network.CreateTape(steps, batch);
        float[] inputs = new float[steps * batch * 6];
        float[] dLogits = new float[steps * batch * 4];
        inputs.AsSpan().Fill(0.3f);
        dLogits.AsSpan().Fill(0.01f);
        void Step()
        {
            network.Prepare(parameters, cache);
            tape.ResetState();
            network.Forward(parameters, cache, inputs, steps, [], tape, training: true);
            network.Backward(parameters, cache, inputs, steps, [], tape, dLogits, gradients, []);
        }

        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Contains(gradients, value => value != 0);
    }
}
