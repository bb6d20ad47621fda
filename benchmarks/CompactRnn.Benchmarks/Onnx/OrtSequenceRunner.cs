using System;
using System.Linq;
using CompactRnn.Onnx.Graphs;
using Microsoft.ML.OnnxRuntime;

namespace CompactRnn.Benchmarks.Onnx;

/// <summary>
/// Runs a whole-sequence graph (input <c>x</c>, output <c>y</c>) on pre-allocated, pinned buffers bound
/// once, so a run allocates nothing on the managed side.
/// </summary>
internal sealed class OrtSequenceRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly OrtIoBinding _binding;

    public OrtSequenceRunner(byte[] model, int intraOpThreads)
    {
        _session = OrtSessionFactory.Create(model, intraOpThreads);
        long[] inputShape = [.. _session.InputMetadata[StateNames.Frame].Dimensions.Select(d => (long)d)];
        long[] outputShape = [.. _session.OutputMetadata["y"].Dimensions.Select(d => (long)d)];
        Inputs = new float[inputShape.Aggregate(1L, (a, b) => a * b)];
        Outputs = new float[outputShape.Aggregate(1L, (a, b) => a * b)];
        _input = OrtValue.CreateTensorValueFromMemory(Inputs, inputShape);
        _output = OrtValue.CreateTensorValueFromMemory(Outputs, outputShape);
        _binding = _session.CreateIoBinding();
        _binding.BindInput(StateNames.Frame, _input);
        _binding.BindOutput("y", _output);
    }

    /// <summary>The input buffer [T, B, n_in]; fill it before <see cref="Run"/>.</summary>
    public float[] Inputs { get; }

    /// <summary>The output buffer [T, B, n_r], written by <see cref="Run"/>.</summary>
    public float[] Outputs { get; }

    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
