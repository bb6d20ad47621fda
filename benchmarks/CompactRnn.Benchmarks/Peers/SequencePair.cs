using System;
using CompactRnn.Benchmarks.Onnx;
using CompactRnn.Onnx.Graphs;
using CompactRnn.Models;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// Whole-sequence inference on both sides from the zero state: CompactRnn's <see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, int)"/>
/// at the same thread count as ONNX Runtime's intra-op threads, and ONNX Runtime on the LSTM operator or per-layer Scans.
/// </summary>
internal sealed class SequencePair : IDisposable
{
    private readonly LstmModel _model;
    private readonly float[] _inputs;
    private readonly float[] _outputs;
    private readonly int _batchSize;
    private readonly int _threads;
    private readonly OrtSequenceRunner _peer;
    private readonly int _steps;

    public SequencePair(LstmModel model, int steps, int batchSize, int ortThreads, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _steps = steps;
        _batchSize = batchSize;
        _threads = ortThreads;
        _inputs = RandomData.Uniform(steps * batchSize * model.Network.Options.InputSize, seed);
        _outputs = new float[steps * batchSize * model.Network.OutputSize];
        DenseLayerWeights[] layers = DenseLayerWeights.FromNetwork(model.Network, model.Parameters.ToArray());
        PeerGraph = PeerGraphs.Describe(layers, sequence: true);
        _peer = new OrtSequenceRunner(PeerGraphs.Sequence(layers, steps, batchSize), ortThreads);
        _inputs.CopyTo(_peer.Inputs, 0);
    }

    public string PeerGraph { get; }

    /// <summary>The dense LSTMP case of the table (batch 32 × 100 frames, h1024 p512, 3 layers).</summary>
    public static SequencePair CreateLstmp(int ortThreads)
        => new(LstmModel.CreateInitialized(PeerCases.Lstmp(PeerCases.DenseLstmpSpec), PeerCases.Seed),
            PeerCases.SequenceSteps, PeerCases.SequenceBatch, ortThreads, PeerCases.Seed);

    public void CompactRnnRun() => _model.Infer(_inputs, _steps, _batchSize, [], _outputs, _threads);

    public void PeerRun() => _peer.Run();

    /// <summary>Compares the outputs of the last runs of both sides; throws on a mismatch, returns the difference.</summary>
    public float CompareLastRuns()
    {
        float difference = ParityCheck.MaxAbsDifference(_outputs, _peer.Outputs);
        ParityCheck.Require(difference, "whole-sequence inference");
        return difference;
    }

    /// <summary>Runs both once and compares.</summary>
    public float Verify()
    {
        CompactRnnRun();
        PeerRun();
        return CompareLastRuns();
    }

    public void Dispose() => _peer.Dispose();
}
