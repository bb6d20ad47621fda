using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Onnx.Graphs;
using Microsoft.ML.OnnxRuntime;

namespace CompactRnn.Benchmarks.Onnx;

/// <summary>
/// Runs a one-step graph (see <see cref="StateNames"/>) frame by frame with the state carried between
/// calls, without managed allocation per step: every input and output is a pre-allocated OrtValue over a
/// pinned array, and two IO bindings ping-pong the state buffers (step k reads set k mod 2 and writes the
/// other), so the state outputs feed the next step's inputs without a copy.
/// </summary>
internal sealed class OrtStreamingRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _frame;
    private readonly float[][][] _states; // [set][state] → buffer; states ordered r0, c0, r1, c1, …
    private readonly List<OrtValue> _values = [];
    private readonly OrtIoBinding[] _bindings;
    private readonly int _topOutputIndex;
    private int _phase;

    public OrtStreamingRunner(byte[] model, int layerCount, int intraOpThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layerCount, 1);
        _session = OrtSessionFactory.Create(model, intraOpThreads);
        _frame = new float[ElementCount(StateNames.Frame)];
        OrtValue frameValue = Track(OrtValue.CreateTensorValueFromMemory(_frame, Shape(StateNames.Frame)));
        string[] inputs = [.. Enumerable.Range(0, layerCount).SelectMany(l => new[] { StateNames.Output(l), StateNames.Cell(l) })];
        string[] outputs = [.. Enumerable.Range(0, layerCount).SelectMany(l => new[] { StateNames.NextOutput(l), StateNames.NextCell(l) })];
        _topOutputIndex = 2 * (layerCount - 1);
        _states = new float[2][][];
        var stateValues = new OrtValue[2][];
        for (int set = 0; set < 2; set++)
        {
            _states[set] = new float[inputs.Length][];
            stateValues[set] = new OrtValue[inputs.Length];
            for (int s = 0; s < inputs.Length; s++)
            {
                _states[set][s] = new float[ElementCount(inputs[s])];
                stateValues[set][s] = Track(OrtValue.CreateTensorValueFromMemory(_states[set][s], Shape(inputs[s])));
            }
        }

        _bindings = new OrtIoBinding[2];
        for (int set = 0; set < 2; set++)
        {
            OrtIoBinding binding = _session.CreateIoBinding();
            binding.BindInput(StateNames.Frame, frameValue);
            for (int s = 0; s < inputs.Length; s++)
            {
                binding.BindInput(inputs[s], stateValues[set][s]);
                binding.BindOutput(outputs[s], stateValues[1 - set][s]);
            }

            _bindings[set] = binding;
        }
    }

    /// <summary>Floats per frame.</summary>
    public int FrameSize => _frame.Length;

    /// <summary>Floats of the top layer's r_t.</summary>
    public int OutputSize => _states[0][_topOutputIndex].Length;

    /// <summary>Consumes one frame and writes the top layer's r_t.</summary>
    public void Step(ReadOnlySpan<float> frame, Span<float> output)
    {
        frame.CopyTo(_frame);
        _session.RunWithBinding(_runOptions, _bindings[_phase]);
        _phase = 1 - _phase;                                   // the set just written is the next step's input
        _states[_phase][_topOutputIndex].AsSpan().CopyTo(output);
    }

    /// <summary>Returns to the zero state.</summary>
    public void Reset()
    {
        foreach (float[][] set in _states)
        {
            foreach (float[] state in set)
            {
                Array.Clear(state);
            }
        }

        _phase = 0;
    }

    public void Dispose()
    {
        foreach (OrtIoBinding binding in _bindings)
        {
            binding.Dispose();
        }

        foreach (OrtValue value in _values)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }

    private OrtValue Track(OrtValue value)
    {
        _values.Add(value);
        return value;
    }

    private long[] Shape(string input) => [.. _session.InputMetadata[input].Dimensions.Select(d => (long)d)];

    private int ElementCount(string input) => _session.InputMetadata[input].Dimensions.Aggregate(1, (a, b) => a * b);
}
