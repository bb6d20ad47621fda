using System;
using CompactRnn.Benchmarks.Onnx;
using CompactRnn.Models;
using CompactRnn.Onnx.Graphs;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// Whole-sequence inference with int8 weights on both sides, from the zero state: CompactRnn's
/// <see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, WeightPrecision, int)"/> at
/// <see cref="WeightPrecision.Int8"/>, and ONNX Runtime running its int8 step graph (<see cref="OrtInt8Graphs.Step"/>: every
/// product DynamicQuantizeLinear + MatMulInteger on CompactRnn's int8 weights and row scales) for the whole batch, one
/// step per call (the call overhead, a few µs against milliseconds per step, is inside the peer's time).
/// </summary>
internal sealed class Int8SequencePair : IDisposable
{
    private readonly LstmModel _model;
    private readonly float[] _inputs;
    private readonly float[] _outputs;
    private readonly float[] _peerOutputs;
    private readonly OrtStreamingRunner _peer;
    private readonly int _steps, _batchSize, _threads, _inputSize, _outputSize;

    public Int8SequencePair(LstmModel model, int steps, int batchSize, int threads, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _steps = steps;
        _batchSize = batchSize;
        _threads = threads;
        _inputSize = model.Network.Options.InputSize;
        _outputSize = model.Network.OutputSize;
        _inputs = RandomData.Uniform(steps * batchSize * _inputSize, seed);
        _outputs = new float[steps * batchSize * _outputSize];
        _peerOutputs = new float[_outputs.Length];
        DenseLayerWeights[] layers = DenseLayerWeights.FromNetwork(model.Network, model.Parameters.ToArray());
        _peer = new OrtStreamingRunner(OrtInt8Graphs.Step(layers, batchSize), layers.Length, threads);
    }

    /// <summary>The dense LSTMP case of the table (batch 32 × 100 frames, h1024 p512, 3 layers).</summary>
    public static Int8SequencePair CreateLstmp(int threads)
        => new(LstmModel.CreateInitialized(PeerCases.Lstmp(PeerCases.DenseLstmpSpec), PeerCases.Seed),
            PeerCases.SequenceSteps, PeerCases.SequenceBatch, threads, PeerCases.Seed);

    public void CompactRnnRun() => _model.Infer(_inputs, _steps, _batchSize, [], _outputs, WeightPrecision.Int8, _threads);

    public void PeerRun()
    {
        _peer.Reset();
        int frame = _batchSize * _inputSize, output = _batchSize * _outputSize;
        for (int t = 0; t < _steps; t++)
        {
            _peer.Step(_inputs.AsSpan(t * frame, frame), _peerOutputs.AsSpan(t * output, output));
        }
    }

    /// <summary>
    /// Runs both once; returns the largest |difference| of their outputs (reported, not required: the two round each
    /// product's input differently, CompactRnn per row to 7 bits over [min, max], ORT per tensor to 8 bits over a range with 0).
    /// </summary>
    public float Verify()
    {
        CompactRnnRun();
        PeerRun();
        return ParityCheck.MaxAbsDifference(_outputs, _peerOutputs);
    }

    public void Dispose() => _peer.Dispose();
}
