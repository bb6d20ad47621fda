using System;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

public sealed class ParallelInferenceTests
{
    private static LstmNetworkOptions Options(OutputMode mode, int outputSize) => new()
    {
        InputSize = 6,
        OutputSize = outputSize,
        OutputMode = mode,
        Layers = NetworkSpec.Parse("dense x1 | lowrank:k=3 x1", new LstmLayerOptions { HiddenSize = 12, ProjectionSize = 5, Peepholes = true, CellClip = 3f }),
    };

    [Theory]
    [InlineData(OutputMode.Frame, 7, 9)]
    [InlineData(OutputMode.LastFrame, 4, 5)]
    [InlineData(OutputMode.Frame, 0, 1)]
    [InlineData(OutputMode.Frame, 7, 33)]
    public void Infer_AnyThreadCount_GivesTheSameBitsAndMatchesOneWholeBatchForward(OutputMode mode, int classes, int batch)
    {
        LstmModel model = LstmModel.CreateInitialized(Options(mode, classes), seed: 3);
        const int steps = 11;
        var random = new Random(batch);
        float[] inputs = new float[steps * batch * 6];
        for (int k = 0; k < inputs.Length; k++)
        {
            inputs[k] = (float)((random.NextDouble() * 2) - 1);
        }

        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            lengths[b] = random.Next(0, steps + 1);
        }

        int width = classes > 0 ? classes : 5;
        int size = mode == OutputMode.Frame || classes == 0 ? steps * batch * width : batch * width;
        float[] one = new float[size];
        model.Infer(inputs, steps, batch, lengths, one, threads: 1);
        foreach (int threads in new[] { 2, 3, 8 })
        {
            float[] many = new float[size];
            model.Infer(inputs, steps, batch, lengths, many, threads);
            Assert.Equal(one, many); // bit for bit
        }

        // The whole batch as one forward pass agrees to float rounding (its GEMMs may take other row blockings).
        LstmNetworkTape tape = model.Network.CreateTape(steps, batch);
        model.Network.Forward(model.Parameters, model.Cache, inputs, steps, lengths, tape, training: false);
        ReadOnlySpan<float> whole = classes > 0 ? tape.Logits : tape.Layers[^1].Outputs(steps);
        for (int k = 0; k < size; k++)
        {
            Assert.Equal(whole[k], one[k], 1e-5f);
        }
    }

    [Fact]
    public void Infer_BadArguments_ThrowNamingTheParameter()
    {
        LstmModel model = LstmModel.CreateInitialized(Options(OutputMode.Frame, 7), seed: 3);
        float[] inputs = new float[2 * 3 * 6], outputs = new float[2 * 3 * 7];
        Assert.Equal("threads", Assert.Throws<ArgumentOutOfRangeException>(() => model.Infer(inputs, 2, 3, [], outputs, threads: 0)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => model.Infer(inputs.AsSpan(1), 2, 3, [], outputs, threads: 2)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => model.Infer(inputs, 2, 3, [], outputs.AsSpan(1), threads: 2)).ParamName);
        Assert.Equal("lengths", Assert.Throws<ArgumentException>(() => model.Infer(inputs, 2, 3, [1, 2], outputs, threads: 2)).ParamName);
    }
}
