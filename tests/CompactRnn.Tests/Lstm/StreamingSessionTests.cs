using System;
using System.Linq;
using System.Threading.Tasks;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

public sealed class StreamingSessionTests
{
    private static LstmModel Model() => LstmModel.CreateInitialized(new LstmNetworkOptions
    {
        InputSize = 6,
        Layers = NetworkSpec.Parse("lowrank:k=3 x1 | shared-lowrank:k=4 x1", new LstmLayerOptions { HiddenSize = 9, Peepholes = true, CellClip = 3f }),
        OutputSize = 5,
    }, seed: 42);

    [Fact]
    public void Step_FrameByFrame_EqualsWholeSequenceInference()
    {
        LstmModel model = Model();
        const int steps = 17;
        float[] inputs = Enumerable.Range(0, steps * 6).Select(i => MathF.Sin(i * 0.37f)).ToArray();
        float[] batch = new float[steps * 5];
        model.Infer(inputs, steps, 1, [], batch);
        StreamingSession session = model.CreateSession();
        float[] output = new float[5];
        for (int t = 0; t < steps; t++)
        {
            session.Step(inputs.AsSpan(t * 6, 6), output);
            for (int k = 0; k < 5; k++)
            {
                // The batch run multiplies all T frames at once (a GEMM), the stream one frame (a GEMV): the
                // same sums in another order, so equal to float rounding, not bit for bit.
                Assert.True(Math.Abs(batch[(t * 5) + k] - output[k]) <= 1e-6f * Math.Max(1f, Math.Abs(output[k])), $"step {t} class {k}: {batch[(t * 5) + k]} vs {output[k]}");
            }
        }
    }

    [Fact]
    public void Step_AfterWarmUp_AllocatesNothing()
    {
        StreamingSession session = Model().CreateSession();
        float[] frame = new float[6];
        float[] output = new float[5];
        session.Step(frame, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 100; t++)
        {
            frame[t % 6] = t * 0.01f;
            session.Step(frame, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Sessions_OnManyThreads_ShareOneModelWithoutInterference()
    {
        LstmModel model = Model();
        float[] Run(int seed)
        {
            StreamingSession session = model.CreateSession();
            var random = new Random(seed);
            float[] frame = new float[6];
            float[] output = new float[5];
            for (int t = 0; t < 200; t++)
            {
                for (int k = 0; k < 6; k++)
                {
                    frame[k] = (float)random.NextDouble();
                }

                session.Step(frame, output);
            }

            return output;
        }

        float[][] sequential = Enumerable.Range(0, 8).Select(Run).ToArray();
        float[][] parallel = new float[8][];
        Parallel.For(0, 8, i => parallel[i] = Run(i));
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }

    [Fact]
    public void Reset_StartsOverFromZeroState()
    {
        StreamingSession session = Model().CreateSession();
        float[] frame = Enumerable.Range(0, 6).Select(i => i * 0.1f).ToArray();
        float[] first = new float[5], again = new float[5];
        session.Step(frame, first);
        session.Step(frame, again);
        Assert.NotEqual(first, again);
        session.Reset();
        session.Step(frame, again);
        Assert.Equal(first, again);
    }

    [Fact]
    public void Step_WrongFrameSize_ThrowsNamingFrame()
    {
        StreamingSession session = Model().CreateSession();
        var error = Assert.Throws<ArgumentException>(() => session.Step(new float[5], new float[5]));
        Assert.Equal("frame", error.ParamName);
        Assert.Contains("5", error.Message, StringComparison.Ordinal);
    }
}
