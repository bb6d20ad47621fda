using System;
using CompactRnn.Benchmarks.Onnx;
using CompactRnn.Onnx.Graphs;
using CompactRnn.Models;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// Whole-sequence inference on both sides from the zero state: CompactRnn's
/// <see cref="LstmNetwork.Forward"/> on a reused tape, and ONNX Runtime on the LSTM operator or per-layer Scans.
/// </summary>
internal sealed class SequencePair : IDisposable
{
    private readonly LstmNetwork _network;
    private readonly float[] _parameters;
    private readonly float[] _cache;
    private readonly LstmNetworkTape _tape;
    private readonly float[] _inputs;
    private readonly OrtSequenceRunner _peer;
    private readonly int _steps;

    public SequencePair(LstmModel model, int steps, int batchSize, int ortThreads, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        _network = model.Network;
        _parameters = model.Parameters.ToArray();
        _cache = model.Cache.ToArray();
        _steps = steps;
        _tape = _network.CreateTape(steps, batchSize);
        _inputs = RandomData.Uniform(steps * batchSize * _network.Options.InputSize, seed);
        DenseLayerWeights[] layers = DenseLayerWeights.FromNetwork(_network, _parameters);
        PeerGraph = PeerGraphs.Describe(layers, sequence: true);
        _peer = new OrtSequenceRunner(PeerGraphs.Sequence(layers, steps, batchSize), ortThreads);
        _inputs.CopyTo(_peer.Inputs, 0);
    }

    public string PeerGraph { get; }

    /// <summary>The dense LSTMP case of the table (batch 32 × 100 frames, h1024 p512, 3 layers).</summary>
    public static SequencePair CreateLstmp(int ortThreads)
        => new(LstmModel.CreateInitialized(PeerCases.Lstmp(PeerCases.DenseLstmpSpec), PeerCases.Seed),
            PeerCases.SequenceSteps, PeerCases.SequenceBatch, ortThreads, PeerCases.Seed);

    public void CompactRnnRun() => _network.Forward(_parameters, _cache, _inputs, _steps, [], _tape, training: false);

    public void PeerRun() => _peer.Run();

    /// <summary>Compares the outputs of the last runs of both sides; throws on a mismatch, returns the difference.</summary>
    public float CompareLastRuns()
    {
        float difference = ParityCheck.MaxAbsDifference(_tape.Layers[^1].Outputs(_steps), _peer.Outputs);
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
