using System;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

/// <summary>
/// <see cref="StreamingSession.Memory"/> and <see cref="LstmModel.BatchMemory"/> count what is really allocated: the bytes a
/// model and its session allocate on this thread (GC counter) cover the report, and the report covers them up to object
/// headers and bookkeeping.
/// </summary>
public sealed class RuntimeMemoryTests
{
    private const int InputSize = 40, Classes = 10;

    [Theory]
    [InlineData("toeplitz:r=2 x2", WeightPrecision.Float32)]          // tape path, FFT products
    [InlineData("toeplitz:r=2 x1 | dense x1", WeightPrecision.Float32)] // float32 packs of the dense matrices
    [InlineData("toeplitz:r=3 x1 | lowrank:k=8 x1 | dense x1", WeightPrecision.Int8)]
    public void StreamingMemory_MatchesTheAllocationsOfModelAndSession(string spec, WeightPrecision precision)
    {
        var network = new LstmNetwork(Options(spec));
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed: 5);
        float[] frame = new float[InputSize], output = new float[Classes];

        long before = GC.GetAllocatedBytesForCurrentThread();
        var model = new LstmModel(network, (ReadOnlySpan<float>)parameters); // the public constructor: the model copies the parameters
        long modelAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        StreamingSession first = model.CreateSession(precision); // builds the model's packs for this precision, if any
        long firstAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        StreamingSession session = model.CreateSession(precision);
        session.Step(frame, output);
        long sessionAllocated = GC.GetAllocatedBytesForCurrentThread() - before;

        RuntimeMemory memory = session.Memory;
        Assert.Equal(first.Memory, memory);
        Assert.Equal(4L * network.ParameterCount, memory.ParameterBytes);
        Assert.Equal(0, memory.DenseFormBytes); // streaming never builds the Toeplitz-like dense forms
        Assert.True(memory.TableBytes > 0 && memory.BufferBytes > 0);
        Assert.Equal(precision == WeightPrecision.Int8 || spec.EndsWith("dense x1", StringComparison.Ordinal), memory.PackBytes > 0);

        // The model: parameters and cache, plus its matrices' tables (FFT plans are shared process-wide, so another test
        // may have built them: they bound from above only).
        long held = memory.ParameterBytes + memory.CacheBytes;
        Assert.True(modelAllocated >= held, $"model allocated {modelAllocated} < parameters + cache {held}");
        // Transient: the circulant forms' Prepare uses 7 FFT-length buffers plus the FFT scratch per matrix (N ≤ 192 here).
        Assert.True(modelAllocated <= ((held + memory.TableBytes) * 1.1) + 16_384 + (4 * 6 * 12 * 192 * 4), $"model allocated {modelAllocated} > {held} + tables {memory.TableBytes}: the report misses arrays");

        // The first session also builds the packs (with transient copies while quantizing); a later one only its buffers.
        Assert.True(firstAllocated >= memory.PackBytes + memory.BufferBytes, $"first session allocated {firstAllocated} < packs {memory.PackBytes} + buffers {memory.BufferBytes}");
        Assert.True(sessionAllocated >= memory.BufferBytes, $"session allocated {sessionAllocated} < buffers {memory.BufferBytes}");
        Assert.True(sessionAllocated <= (memory.BufferBytes * 1.1) + 8_192, $"session allocated {sessionAllocated} > buffers {memory.BufferBytes}: the report misses arrays");
    }

    /// <summary>
    /// Issue 15 item 6: an FFT-path (streaming) Toeplitz-like model holds at most 1.5× its parameter bytes at run time. The
    /// full preset's shape (3 LSTMP layers, projection cells/2, peepholes, 40 inputs, 82 classes) with every W_x and W_r
    /// Toeplitz-like at r = 4, the rank of the full preset's Toeplitz-like layers, at 192 and 256 cells.
    /// </summary>
    [Theory]
    [InlineData(192)]
    [InlineData(256)]
    public void StreamingMemory_ToeplitzLikeModel_AtMostOneAndAHalfTimesItsParameterBytes(int cells)
    {
        var options = new LstmNetworkOptions
        {
            InputSize = InputSize,
            Layers = NetworkSpec.Parse("toeplitz:r=4 x3", new LstmLayerOptions { HiddenSize = cells, ProjectionSize = cells / 2, Peepholes = true }),
            OutputSize = 82,
        };
        LstmModel model = LstmModel.CreateInitialized(options, seed: 2);
        StreamingSession session = model.CreateSession();
        session.Step(new float[InputSize], new float[82]);
        RuntimeMemory memory = session.Memory;
        Assert.Equal(0, memory.DenseFormBytes);
        Assert.Equal(0, memory.PackBytes); // no dense W_x|W_r layer: the float32 session reads the parameters in place
        Assert.True(memory.TotalBytes <= 1.5 * memory.ParameterBytes, $"{memory}: {memory.ParameterMultiple:F3}× the parameter bytes");
    }

    [Fact]
    public void BatchMemory_CountsTheDenseFormsOnlyOnceABatchCallBuiltThem()
    {
        LstmModel model = LstmModel.CreateInitialized(Options("toeplitz:r=2 x2"), seed: 3);
        RuntimeMemory fresh = model.BatchMemory;
        Assert.Equal(0, fresh.DenseFormBytes);
        Assert.Equal(0, fresh.BufferBytes);

        const int steps = 50, batch = 32; // 320 rows per input product: the input matrices' dense forms pay
        float[] inputs = new float[steps * batch * InputSize], outputs = new float[steps * batch * Classes];
        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Infer(inputs, steps, batch, [], outputs);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        RuntimeMemory used = model.BatchMemory;
        Assert.True(used.DenseFormBytes > 0, "the batch call should have built the dense forms");
        Assert.True(used.BufferBytes > 0);
        long added = used.TotalBytes - fresh.TotalBytes;
        Assert.True(allocated >= added - used.TableBytes, $"allocated {allocated} < reported growth {added}");
        Assert.True(allocated <= (added * 1.1) + 32_768, $"allocated {allocated} > reported growth {added} + 10 % + 32 KiB");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Infer_SecondCallOfAShape_AllocatesNothing(int threads)
    {
        LstmModel model = LstmModel.CreateInitialized(Options("dense x2"), seed: 4);
        const int steps = 20, batch = 8;
        float[] inputs = new float[steps * batch * InputSize], outputs = new float[steps * batch * Classes];
        int[] lengths = [20, 3, 0, 20, 7, 19, 20, 1];
        model.Infer(inputs, steps, batch, lengths, outputs, threads);
        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Infer(inputs, steps, batch, lengths, outputs, threads);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void BatchMemory_HoldsNoTrainingTapes()
    {
        // The forward-only buffers: inputs, two layers' outputs, one chunk's pre-activations, state. A training tape of the
        // same shape (gates, cells before and after the clip, tanh c, projections, gradients) is several times larger.
        LstmModel model = LstmModel.CreateInitialized(Options("dense x3"), seed: 5);
        const int steps = 100, batch = 32;
        model.Infer(new float[steps * batch * InputSize], steps, batch, [], new float[steps * batch * Classes]);
        long tape = model.Network.CreateTape(steps, batch).AllocatedBytes;
        Assert.True(model.BatchMemory.BufferBytes * 4 < tape, $"buffers {model.BatchMemory.BufferBytes} vs tape {tape}");
    }

    private static LstmNetworkOptions Options(string spec) => new()
    {
        InputSize = InputSize,
        Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = 48, ProjectionSize = 24, Peepholes = true }),
        OutputSize = Classes,
    };
}
