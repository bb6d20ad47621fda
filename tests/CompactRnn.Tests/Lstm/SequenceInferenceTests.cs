using System;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

/// <summary>
/// <see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, int)"/>'s forward-only pass against the training forward (<see cref="LstmNetwork.Forward"/> on the
/// whole batch), with cells enough (256) that every step is cut into several pieces: bit for bit with dense matrices,
/// to rounding for the structured kinds, and bit-identical across thread counts for all.
/// </summary>
public sealed class SequenceInferenceTests
{
    private const int InputSize = 9, Steps = 13;

    [Theory]
    [InlineData("dense x3", OutputMode.Frame, 6, 5, true)]
    [InlineData("dense x2", OutputMode.LastFrame, 6, 7, true)]
    [InlineData("dense x2", OutputMode.Frame, 0, 33, false)]
    [InlineData("dense x1", OutputMode.Frame, 4, 1, true)]
    public void Infer_DenseMatrices_EqualsTheTrainingForwardBitForBit(string spec, OutputMode mode, int classes, int batch, bool projection)
    {
        LstmModel model = LstmModel.CreateInitialized(Options(spec, mode, classes, projection), seed: 11);
        (float[] inputs, int[] lengths) = Data(batch, seed: batch);
        float[] expected = TrainingForward(model, inputs, lengths, batch);
        foreach (int threads in new[] { 1, 2, 3 })
        {
            Assert.Equal(expected, Infer(model, inputs, lengths, batch, threads)); // bit for bit
        }
    }

    [Theory]
    [InlineData("lowrank:k=24 x1 | lowrank-pergate:k=8 x1", 8)]
    [InlineData("shared-lowrank:k=40 x2", 8)]
    [InlineData("toeplitz:r=4 x2", 8)]
    [InlineData("toeplitz-stacked:r=2 x1 | dense x1", 6)]
    [InlineData("toeplitz:r=4 x1", 1)]
    public void Infer_StructuredMatrices_MatchesTheTrainingForwardAndGivesTheSameBitsOnEveryThreadCount(string spec, int batch)
    {
        LstmModel model = LstmModel.CreateInitialized(Options(spec, OutputMode.Frame, 5, projection: true), seed: 12);
        (float[] inputs, int[] lengths) = Data(batch, seed: 100 + batch);
        float[] expected = TrainingForward(model, inputs, lengths, batch);
        float[] one = Infer(model, inputs, lengths, batch, threads: 1);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(MathF.Abs(expected[k] - one[k]) <= 1e-4f * (1 + MathF.Abs(expected[k])), $"entry {k}: {one[k]} vs {expected[k]}");
        }

        Assert.Equal(one, Infer(model, inputs, lengths, batch, threads: 2));
        Assert.Equal(one, Infer(model, inputs, lengths, batch, threads: 5));
    }

    [Fact]
    public void Infer_ToeplitzLikeDenseForms_AreCutBetweenThreadsToo()
    {
        // Enough rows that the Toeplitz-like matrices take their dense forms, which then run as plain GEMMs cut by cells.
        LstmModel model = LstmModel.CreateInitialized(Options("toeplitz:r=4 x2", OutputMode.Frame, 5, projection: true), seed: 13);
        const int batch = 40;
        LstmNetwork denseForms = model.Network.WithDenseForms(true);
        float[] cache = new float[denseForms.CacheSize];
        denseForms.Prepare(model.Parameters, cache);
        Assert.True(denseForms.Layers[1].CanCutRecurrent(denseForms.LayerParameters(model.Parameters, 1), denseForms.LayerCache(cache, 1), batch));

        (float[] inputs, int[] lengths) = Data(batch, seed: 7);
        float[] expected = TrainingForward(model, inputs, lengths, batch);
        float[] one = Infer(model, inputs, lengths, batch, threads: 1);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(MathF.Abs(expected[k] - one[k]) <= 1e-4f * (1 + MathF.Abs(expected[k])), $"entry {k}: {one[k]} vs {expected[k]}");
        }

        Assert.True(model.BatchMemory.DenseFormBytes > 0);
        Assert.Equal(one, Infer(model, inputs, lengths, batch, threads: 2));
    }

    private static LstmNetworkOptions Options(string spec, OutputMode mode, int classes, bool projection) => new()
    {
        InputSize = InputSize,
        OutputSize = classes,
        OutputMode = mode,
        Layers = NetworkSpec.Parse(spec, new LstmLayerOptions
        {
            HiddenSize = 256,
            ProjectionSize = projection ? 128 : 0,
            Peepholes = true,
            CellClip = 3f,
            ProjectionClip = projection ? 0.5f : 0f,
        }),
    };

    private static (float[] Inputs, int[] Lengths) Data(int batch, int seed)
    {
        var random = new Random(seed);
        float[] inputs = new float[Steps * batch * InputSize];
        for (int k = 0; k < inputs.Length; k++)
        {
            inputs[k] = (float)((random.NextDouble() * 4) - 2);
        }

        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            lengths[b] = b == 0 ? Steps : random.Next(0, Steps + 1);
        }

        return (inputs, lengths);
    }

    private static float[] TrainingForward(LstmModel model, float[] inputs, int[] lengths, int batch)
    {
        LstmNetworkTape tape = model.Network.CreateTape(Steps, batch);
        model.Network.Forward(model.Parameters, model.Cache, inputs, Steps, lengths, tape, training: false);
        return (model.Network.OutputMatrix is null ? tape.Layers[^1].Outputs(Steps) : tape.Logits).ToArray();
    }

    private static float[] Infer(LstmModel model, float[] inputs, int[] lengths, int batch, int threads)
    {
        bool lastFrame = model.Network.OutputMatrix is not null && model.Network.Options.OutputMode == OutputMode.LastFrame;
        float[] outputs = new float[(lastFrame ? 1 : Steps) * batch * model.Network.OutputSize];
        model.Infer(inputs, Steps, batch, lengths, outputs, threads);
        return outputs;
    }
}
