using System;
using CompactRnn.Benchmarks.Peers;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Benchmarks.Tests.Peers;

public class PeerHarnessTests
{
    [Fact]
    public void TrainingStepHarness_TwoThreads_LearnsLikeOneThread()
    {
        using var one = new TrainingStepHarness(PeerCases.Seed);
        using var two = new TrainingStepHarness(PeerCases.Seed, threads: 2);
        for (int k = 0; k < 3; k++)
        {
            one.Step();
            two.Step();
        }

        // Random labels over 10 classes: both start at a mean cross-entropy near ln 10 and move the same way.
        Assert.InRange(two.LastLoss, 0.9f * MathF.Log(10), 1.1f * MathF.Log(10));
        Assert.InRange(two.LastLoss - one.LastLoss, -0.05f, 0.05f);
        Assert.Equal(2, two.Threads);
        long before = GC.GetAllocatedBytesForCurrentThread();
        two.Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before); // the trainer's two-thread hand-off allocates nothing
    }

    [Fact]
    public void TrainingStepHarness_ThreeThreads_ThrowsNamingThreads()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingStepHarness(PeerCases.Seed, threads: 3));
        Assert.Equal("threads", error.ParamName);
    }

    [Fact]
    public void StreamingPair_SmallDenseModel_BFloat16CloseToFloat32Peer()
    {
        var model = LstmModel.CreateInitialized(new LstmNetworkOptions
        {
            InputSize = 40,
            Layers = NetworkSpec.Parse("dense x2", new LstmLayerOptions { HiddenSize = 64, ProjectionSize = 32 }),
        }, seed: 3);
        using var pair = new StreamingPair(model, ortThreads: 1, seed: 3);

        Assert.InRange(pair.Verify(steps: 8), 0f, ParityCheck.Tolerance);
        Assert.InRange(pair.BFloat16Difference, 1e-7f, 2e-2f); // rounded weights: different, but only a little
    }

    [Theory]
    [InlineData("dense x2", 64, 32)]   // LSTMP: gates and projections quantized
    [InlineData("dense x1", 48, 0)]    // plain LSTM: [W_x | W_r] only
    public void StreamingPair_Int8Peer_ProductsWithinDerivedBoundAndStepsClose(string spec, int hidden, int projection)
    {
        var model = LstmModel.CreateInitialized(new LstmNetworkOptions
        {
            InputSize = 40,
            Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = hidden, ProjectionSize = projection, Peepholes = projection > 0, CellClip = projection > 0 ? 3f : 0f }),
        }, seed: 5);
        using var pair = new StreamingPair(model, ortThreads: 1, seed: 5, int8Peer: true);

        Assert.True(pair.HasInt8Peer);
        Assert.InRange(pair.Int8ProductParityRatio, 1e-6, 1.0); // ORT does round x to uint8, within the bound
        Assert.InRange(pair.Verify(steps: 8), 0f, ParityCheck.Tolerance);
        // Same integers and scales on both sides; ORT's uint8 inputs move each output by about 1/255 of the input range
        // times the weights' magnitude: small, and not zero.
        Assert.InRange(pair.Int8PeerDifference, 1e-7f, 2e-2f);
        pair.PeerInt8Step();
    }

    [Fact]
    public void Int8ProductParity_SameWeights_WithinTheDerivedBound()
    {
        float[] weights = RandomData.Uniform(37 * 53, seed: 9);
        weights.AsSpan(53, 53).Clear(); // a zero row: scale 0 on both sides
        Assert.InRange(Int8ProductParity.Check(weights, 37, 53, seed: 9), 1e-6, 1.0);
    }
}
