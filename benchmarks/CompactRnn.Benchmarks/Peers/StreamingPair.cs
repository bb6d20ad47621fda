using System;
using CompactRnn.Benchmarks.Onnx;
using CompactRnn.Onnx.Graphs;
using CompactRnn.Models;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// One streaming case on both sides: a CompactRnn <see cref="StreamingSession"/> and an ONNX Runtime
/// one-step graph built from the same (dense-equivalent) weights, fed the same cycling frames. A second
/// CompactRnn session stores the dense weights as bf16 (<see cref="WeightPrecision.BFloat16"/>); ORT stays float32.
/// </summary>
internal sealed class StreamingPair : IDisposable
{
    private const int FrameCount = 64;

    private readonly StreamingSession _session;
    private readonly StreamingSession _bfloat16Session;
    private readonly StreamingSession _int8Session;
    private readonly OrtStreamingRunner _peer;
    private readonly float[] _frames;
    private readonly float[] _compactOutput;
    private readonly float[] _peerOutput;
    private readonly float[] _bfloat16Output;
    private readonly float[] _int8Output;
    private readonly int _frameSize;
    private int _compactFrame, _peerFrame, _bfloat16Frame, _int8Frame;

    /// <summary>Builds both sides; <paramref name="cellGraph"/> gives ORT the cell graph even for plain LSTMs.</summary>
    public StreamingPair(LstmModel model, int ortThreads, int seed, bool cellGraph = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        DenseLayerWeights[] layers = DenseLayerWeights.FromNetwork(model.Network, model.Parameters);
        PeerGraph = PeerGraphs.Describe(layers, sequence: false, cellGraph);
        _peer = new OrtStreamingRunner(PeerGraphs.Step(layers, cellGraph), layers.Length, ortThreads);
        _session = model.CreateSession();
        _bfloat16Session = model.CreateSession(WeightPrecision.BFloat16);
        _int8Session = model.CreateSession(WeightPrecision.Int8);
        _frameSize = model.Network.Options.InputSize;
        _frames = RandomData.Uniform(FrameCount * _frameSize, seed);
        _compactOutput = new float[_session.OutputSize];
        _peerOutput = new float[_peer.OutputSize];
        _bfloat16Output = new float[_session.OutputSize];
        _int8Output = new float[_session.OutputSize];
    }

    public LstmModel Model { get; }

    /// <summary>How the peer graph is built.</summary>
    public string PeerGraph { get; }

    /// <summary>The largest difference seen by the last <see cref="Verify"/>.</summary>
    public float ParityDifference { get; private set; }

    /// <summary>
    /// The largest difference between the bf16 session and ORT (float32) seen by the last <see cref="Verify"/>:
    /// the precision cost, reported, not required (bf16 keeps 8 significant bits).
    /// </summary>
    public float BFloat16Difference { get; private set; }

    /// <summary>Builds a case of <see cref="PeerCases.StreamingCaseNames"/> and checks parity.</summary>
    public static StreamingPair Create(string caseName, int ortThreads, bool cellGraph = false)
    {
        var pair = new StreamingPair(LstmModel.CreateInitialized(PeerCases.Streaming(caseName), PeerCases.Seed), ortThreads, PeerCases.Seed, cellGraph);
        pair.Verify(steps: 8);
        return pair;
    }

    /// <summary>One CompactRnn step over the next frame.</summary>
    public void CompactRnnStep()
    {
        _session.Step(_frames.AsSpan(_compactFrame * _frameSize, _frameSize), _compactOutput);
        _compactFrame = (_compactFrame + 1) % FrameCount;
    }

    /// <summary>One CompactRnn step with bf16 weights over the next frame.</summary>
    public void CompactRnnBFloat16Step()
    {
        _bfloat16Session.Step(_frames.AsSpan(_bfloat16Frame * _frameSize, _frameSize), _bfloat16Output);
        _bfloat16Frame = (_bfloat16Frame + 1) % FrameCount;
    }

    /// <summary>One CompactRnn step with int8 weights (per-row scales) over the next frame.</summary>
    public void CompactRnnInt8Step()
    {
        _int8Session.Step(_frames.AsSpan(_int8Frame * _frameSize, _frameSize), _int8Output);
        _int8Frame = (_int8Frame + 1) % FrameCount;
    }

    /// <summary>The largest output difference of the int8 session from ORT's float32 outputs in <see cref="Verify"/>.</summary>
    public float Int8Difference { get; private set; }

    /// <summary>One ONNX Runtime step over the next frame.</summary>
    public void PeerStep()
    {
        _peer.Step(_frames.AsSpan(_peerFrame * _frameSize, _frameSize), _peerOutput);
        _peerFrame = (_peerFrame + 1) % FrameCount;
    }

    /// <summary>
    /// Runs both from the zero state for <paramref name="steps"/> frames, compares every output, throws
    /// on a mismatch beyond <see cref="ParityCheck.Tolerance"/>, resets both and returns the largest difference.
    /// </summary>
    public float Verify(int steps)
    {
        Reset();
        float worst = 0, bfloat16Worst = 0, int8Worst = 0;
        for (int t = 0; t < steps; t++)
        {
            CompactRnnStep();
            CompactRnnBFloat16Step();
            CompactRnnInt8Step();
            PeerStep();
            worst = MathF.Max(worst, ParityCheck.MaxAbsDifference(_compactOutput, _peerOutput));
            bfloat16Worst = MathF.Max(bfloat16Worst, ParityCheck.MaxAbsDifference(_bfloat16Output, _peerOutput));
            int8Worst = MathF.Max(int8Worst, ParityCheck.MaxAbsDifference(_int8Output, _peerOutput));
        }

        Reset();
        ParityDifference = worst;
        BFloat16Difference = bfloat16Worst;
        Int8Difference = int8Worst;
        ParityCheck.Require(worst, "streaming step");
        return worst;
    }

    public void Dispose() => _peer.Dispose();

    private void Reset()
    {
        _session.Reset();
        _bfloat16Session.Reset();
        _int8Session.Reset();
        _peer.Reset();
        _compactFrame = _peerFrame = _bfloat16Frame = _int8Frame = 0;
    }
}
