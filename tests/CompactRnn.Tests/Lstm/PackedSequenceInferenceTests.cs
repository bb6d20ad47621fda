using System;
using System.Linq;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

/// <summary>
/// Whole-sequence inference with bf16 and int8 weights: every sequence equals a streaming session of the same precision
/// run over it (bit for bit for dense networks, to float rounding with compact kinds), padded steps keep the state,
/// last-frame mode gives the last valid frame, and the bits do not depend on the thread count.
/// </summary>
public sealed class PackedSequenceInferenceTests
{
    private const int InputSize = 12, Classes = 7, Steps = 9;

    [Theory]
    [InlineData("dense x2", WeightPrecision.Int8, 6)]
    [InlineData("dense x2", WeightPrecision.BFloat16, 5)]
    [InlineData("dense x3", WeightPrecision.Int8, 1)]
    [InlineData("toeplitz:r=2 x1 | lowrank:k=4 x1 | dense x1", WeightPrecision.Int8, 9)]
    public void Infer_EachSequence_EqualsAStreamingSession(string spec, WeightPrecision precision, int batch)
    {
        LstmModel model = Model(spec, OutputMode.Frame, seed: 3);
        float[] inputs = Inputs(batch, seed: 4);
        int[] lengths = [.. Enumerable.Range(0, batch).Select(b => Steps - (b % 4))];
        lengths[batch / 2] = 0; // an empty sequence among them
        float[] outputs = new float[Steps * batch * Classes];
        model.Infer(inputs, Steps, batch, lengths, outputs, precision);

        bool dense = !spec.Contains("toeplitz", StringComparison.Ordinal);
        for (int b = 0; b < batch; b++)
        {
            StreamingSession session = model.CreateSession(precision);
            float[] expected = new float[Classes], last = new float[Classes];
            for (int t = 0; t < Steps; t++)
            {
                Span<float> actual = outputs.AsSpan(((t * batch) + b) * Classes, Classes);
                if (t < lengths[b])
                {
                    session.Step(inputs.AsSpan(((t * batch) + b) * InputSize, InputSize), expected);
                    expected.CopyTo(last);
                }
                else if (lengths[b] == 0)
                {
                    model.Network.OutputBias(model.Parameters).CopyTo(last); // the zero state's logits
                }

                float[] reference = t < lengths[b] ? expected : last; // padded steps repeat the carried state's output
                for (int k = 0; k < Classes; k++)
                {
                    if (dense)
                    {
                        Assert.Equal(reference[k], actual[k]);
                    }
                    else
                    {
                        Assert.Equal(reference[k], actual[k], 1e-5f);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(WeightPrecision.Int8)]
    [InlineData(WeightPrecision.BFloat16)]
    public void Infer_EveryThreadCount_SameBits(WeightPrecision precision)
    {
        LstmModel model = Model("dense x2", OutputMode.Frame, seed: 5);
        const int batch = 11;
        float[] inputs = Inputs(batch, seed: 6);
        float[] one = new float[Steps * batch * Classes];
        model.Infer(inputs, Steps, batch, [], one, precision, threads: 1);
        foreach (int threads in new[] { 2, 3, 8 })
        {
            float[] many = new float[one.Length];
            model.Infer(inputs, Steps, batch, [], many, precision, threads);
            Assert.Equal(one, many);
        }
    }

    [Fact]
    public void Infer_LastFrameMode_GivesTheLastValidFramesOutput()
    {
        LstmModel frames = Model("dense x2", OutputMode.Frame, seed: 8), last = Model("dense x2", OutputMode.LastFrame, seed: 8);
        const int batch = 6;
        float[] inputs = Inputs(batch, seed: 9);
        int[] lengths = [9, 3, 1, 9, 5, 7];
        float[] all = new float[Steps * batch * Classes], final = new float[batch * Classes];
        frames.Infer(inputs, Steps, batch, lengths, all, WeightPrecision.Int8);
        last.Infer(inputs, Steps, batch, lengths, final, WeightPrecision.Int8);

        for (int b = 0; b < batch; b++)
        {
            Assert.Equal(all.AsSpan((((lengths[b] - 1) * batch) + b) * Classes, Classes).ToArray(), final.AsSpan(b * Classes, Classes).ToArray());
        }
    }

    [Fact]
    public void Infer_Int8_IsCloseToFloat32_AndFloat32IsTheUnpackedCall()
    {
        LstmModel model = Model("dense x2", OutputMode.Frame, seed: 10);
        const int batch = 4;
        float[] inputs = Inputs(batch, seed: 11);
        float[] exact = new float[Steps * batch * Classes], viaPrecision = new float[exact.Length], int8 = new float[exact.Length];
        model.Infer(inputs, Steps, batch, [], exact);
        model.Infer(inputs, Steps, batch, [], viaPrecision, WeightPrecision.Float32);
        model.Infer(inputs, Steps, batch, [], int8, WeightPrecision.Int8);

        Assert.Equal(exact, viaPrecision);
        double largest = exact.Zip(int8, (a, b) => Math.Abs(a - b)).Max(), scale = exact.Max(Math.Abs);
        Assert.True(largest > 0 && largest <= 0.02 * Math.Max(1, scale), $"max |Δ logit| {largest} against logits up to {scale}");
    }

    [Theory]
    [InlineData(WeightPrecision.Int8)]
    [InlineData(WeightPrecision.BFloat16)]
    public void Infer_RepeatedShape_AllocatesNothingAndReportsItsBuffers(WeightPrecision precision)
    {
        LstmModel model = Model("dense x2", OutputMode.Frame, seed: 12);
        const int batch = 6;
        float[] inputs = Inputs(batch, seed: 13), first = new float[Steps * batch * Classes], second = new float[first.Length];
        int[] lengths = [Steps, 3, Steps, 0, 5, Steps];
        long before = model.BatchMemory.BufferBytes;
        model.Infer(inputs, Steps, batch, lengths, first, precision);
        Assert.True(model.BatchMemory.BufferBytes > before, "the kept buffers are not reported");

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        model.Infer(inputs, Steps, batch, lengths, second, precision);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal(first, second);
        Assert.True(allocated == 0, $"a repeated call allocated {allocated} bytes");
    }

    [Fact]
    public void Infer_BadPrecisionOrLength_ThrowsNamingTheArgument()
    {
        LstmModel model = Model("dense x1", OutputMode.Frame, seed: 1);
        float[] inputs = Inputs(2, seed: 1), outputs = new float[Steps * 2 * Classes];
        Assert.Equal("precision", Assert.Throws<ArgumentOutOfRangeException>(() => model.Infer(inputs, Steps, 2, [], outputs, (WeightPrecision)9)).ParamName);
        Assert.Equal("lengths", Assert.Throws<ArgumentOutOfRangeException>(() => model.Infer(inputs, Steps, 2, [3, Steps + 1], outputs, WeightPrecision.Int8)).ParamName);
        Assert.Equal("threads", Assert.Throws<ArgumentOutOfRangeException>(() => model.Infer(inputs, Steps, 2, [], outputs, WeightPrecision.Int8, threads: 0)).ParamName);
    }

    private static LstmModel Model(string spec, OutputMode mode, int seed) => LstmModel.CreateInitialized(new LstmNetworkOptions
    {
        InputSize = InputSize,
        Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = 20, ProjectionSize = 10, Peepholes = true, CellClip = 50f }),
        OutputSize = Classes,
        OutputMode = mode,
    }, seed);

    private static float[] Inputs(int batch, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Steps * batch * InputSize).Select(_ => (float)((random.NextDouble() * 2) - 1))];
    }
}
