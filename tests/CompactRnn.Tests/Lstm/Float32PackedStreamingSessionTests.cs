using System;
using System.Linq;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

/// <summary>
/// Float32 sessions of networks with a layer whose W_x and W_r are both dense, which stream the model's float32
/// packs ([W_x | W_r] as one GEMV): equal to whole-sequence inference to float rounding, allocation-free, and
/// resettable; with mixed layers (compact products, a dense W_x beside a low-rank W_r) as well.
/// </summary>
public sealed class Float32PackedStreamingSessionTests
{
    private const int InputSize = 40, Classes = 10;

    private static LstmNetworkOptions DenseLstmp => new()
    {
        InputSize = InputSize,
        Layers = NetworkSpec.Parse("dense x2", new LstmLayerOptions { HiddenSize = 96, ProjectionSize = 48, Peepholes = true, CellClip = 50f, ProjectionClip = 3f }),
        OutputSize = Classes,
    };

    private static LstmNetworkOptions Mixed => new()
    {
        InputSize = InputSize,
        Layers =
        [
            .. NetworkSpec.Parse("toeplitz:r=2 x1", new LstmLayerOptions { HiddenSize = 64, ProjectionSize = 32 }),
            new LstmLayerOptions { HiddenSize = 48, ProjectionSize = 24, Recurrent = new LowRankGateMatrixSpec(4) },
            new LstmLayerOptions { HiddenSize = 33 },
        ],
        OutputSize = Classes,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Step_DenseGates_EqualsWholeSequenceInference(bool dense)
    {
        LstmModel model = LstmModel.CreateInitialized(dense ? DenseLstmp : Mixed, seed: 8);
        Assert.True(PackedNetworkWeights.HasCombinedGates(model.Network));
        const int steps = 25;
        float[] inputs = Enumerable.Range(0, steps * InputSize).Select(i => MathF.Sin(i * 0.37f)).ToArray();
        float[] batch = new float[steps * Classes];
        model.Infer(inputs, steps, 1, [], batch);
        StreamingSession session = model.CreateSession();
        Assert.Equal(WeightPrecision.Float32, session.Precision);
        float[] output = new float[Classes];
        for (int t = 0; t < steps; t++)
        {
            session.Step(inputs.AsSpan(t * InputSize, InputSize), output);
            for (int k = 0; k < Classes; k++)
            {
                // Same float32 weights, sums in another order (packed row groups vs the batch GEMM): rounding only.
                float expected = batch[(t * Classes) + k];
                Assert.True(Math.Abs(expected - output[k]) <= 1e-5f * Math.Max(1f, Math.Abs(expected)), $"step {t} class {k}: {expected} vs {output[k]}");
            }
        }
    }

    [Fact]
    public void PackedWeights_DenseLayers_CostFloat32SizeOfDenseMatricesPlusPadding()
    {
        LstmModel model = LstmModel.CreateInitialized(DenseLstmp, seed: 8);
        long dense = 4L * model.Network.Layers.Sum(layer => (4L * layer.HiddenSize * (layer.InputSize + layer.OutputSize)) + ((long)layer.OutputSize * layer.HiddenSize))
            + (4L * Classes * model.Network.Layers[^1].OutputSize);
        long packed = model.PackedWeights(WeightPrecision.Float32).Bytes;
        Assert.InRange(packed, dense, dense * 5 / 4);
        Assert.Same(model.PackedWeights(WeightPrecision.Float32), model.PackedWeights(WeightPrecision.Float32)); // built once per model
    }

    /// <summary>
    /// A step that allocated would make every window allocate; the runtime itself may allocate on this thread
    /// once or twice while tiering up the step's methods (other tests keep the JIT busy), so the claim checked is
    /// that some whole window of 100 steps allocates nothing.
    /// </summary>
    [Fact]
    public void Step_DenseAfterWarmUp_AllocatesNothing()
    {
        StreamingSession session = LstmModel.CreateInitialized(DenseLstmp, seed: 8).CreateSession();
        float[] frame = new float[InputSize], output = new float[Classes];
        session.Step(frame, output);
        long allocated = -1;
        for (int window = 0; window < 50 && allocated != 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int t = 0; t < 100; t++)
            {
                frame[t % InputSize] = t * 0.01f;
                session.Step(frame, output);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Reset_Dense_StartsOverFromZeroState()
    {
        StreamingSession session = LstmModel.CreateInitialized(DenseLstmp, seed: 8).CreateSession();
        float[] frame = Enumerable.Range(0, InputSize).Select(i => i * 0.05f).ToArray();
        float[] first = new float[Classes], again = new float[Classes];
        session.Step(frame, first);
        session.Step(frame, again);
        Assert.NotEqual(first, again);
        session.Reset();
        session.Step(frame, again);
        Assert.Equal(first, again);
    }
}
