using System;
using CompactRnn.Benchmarks.Onnx;
using CompactRnn.Onnx.Graphs;
using CompactRnn.Models;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// One streaming case on both sides: a CompactRnn <see cref="StreamingSession"/> and an ONNX Runtime
/// one-step graph built from the same (dense-equivalent) weights, fed the same cycling frames. A second
/// CompactRnn session stores the dense weights as bf16 (<see cref="WeightPrecision.BFloat16"/>), a third as int8
/// (<see cref="WeightPrecision.Int8"/>); that ORT graph stays float32. On request, a second ORT graph quantizes its
/// products to int8 (<see cref="OrtInt8Graphs"/>, the same integers and scales as CompactRnn's int8 session): the int8 peer.
/// </summary>
internal sealed class StreamingPair : IDisposable
{
    private const int FrameCount = 64;

    private readonly StreamingSession _session;
    private readonly StreamingSession _bfloat16Session;
    private readonly StreamingSession _int8Session;
    private readonly OrtStreamingRunner _peer;
    private readonly OrtStreamingRunner? _int8Peer;
    private readonly float[] _int8PeerOutput;
    private readonly float[] _frames;
    private readonly float[] _compactOutput;
    private readonly float[] _peerOutput;
    private readonly float[] _bfloat16Output;
    private readonly float[] _int8Output;
    private readonly int _frameSize;
    private int _compactFrame, _peerFrame, _bfloat16Frame, _int8Frame, _int8PeerFrame;

    /// <summary>
    /// Builds both sides; <paramref name="cellGraph"/> gives ORT the cell graph even for plain LSTMs; <paramref name="int8Peer"/>
    /// adds ORT's int8 graph, after checking its quantized products against CompactRnn's (<see cref="Int8ProductParity"/>).
    /// </summary>
    public StreamingPair(LstmModel model, int ortThreads, int seed, bool cellGraph = false, bool int8Peer = false)
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
        _int8PeerOutput = new float[_session.OutputSize];
        if (int8Peer)
        {
            Int8ProductParityRatio = CheckProducts(layers, seed);
            _int8Peer = new OrtStreamingRunner(OrtInt8Graphs.Step(layers), layers.Length, ortThreads);
        }
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

    /// <summary>
    /// The largest |difference| / derived bound of ORT's quantized products against CompactRnn's over every matrix of the
    /// int8 peer (≤ 1, else construction threw); 0 without it.
    /// </summary>
    public double Int8ProductParityRatio { get; }

    /// <summary>
    /// The largest output difference between CompactRnn's int8 session and ORT's int8 graph in the last <see cref="Verify"/>
    /// (reported: ORT also rounds every product's input to uint8, which CompactRnn does not).
    /// </summary>
    public float Int8PeerDifference { get; private set; }

    /// <summary>True when the pair has ORT's int8 graph.</summary>
    public bool HasInt8Peer => _int8Peer is not null;

    /// <summary>Builds a case of <see cref="PeerCases.StreamingCaseNames"/> and checks parity.</summary>
    public static StreamingPair Create(string caseName, int ortThreads, bool cellGraph = false, bool int8Peer = false)
    {
        var pair = new StreamingPair(LstmModel.CreateInitialized(PeerCases.Streaming(caseName), PeerCases.Seed), ortThreads, PeerCases.Seed, cellGraph, int8Peer);
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

    /// <summary>One step of ORT's int8 graph over the next frame (requires the int8 peer).</summary>
    public void PeerInt8Step()
    {
        _int8Peer!.Step(_frames.AsSpan(_int8PeerFrame * _frameSize, _frameSize), _int8PeerOutput);
        _int8PeerFrame = (_int8PeerFrame + 1) % FrameCount;
    }

    /// <summary>
    /// Runs both from the zero state for <paramref name="steps"/> frames, compares every output, throws
    /// on a mismatch beyond <see cref="ParityCheck.Tolerance"/>, resets both and returns the largest difference.
    /// </summary>
    public float Verify(int steps)
    {
        Reset();
        float worst = 0, bfloat16Worst = 0, int8Worst = 0, int8PeerWorst = 0;
        for (int t = 0; t < steps; t++)
        {
            CompactRnnStep();
            CompactRnnBFloat16Step();
            CompactRnnInt8Step();
            PeerStep();
            worst = MathF.Max(worst, ParityCheck.MaxAbsDifference(_compactOutput, _peerOutput));
            bfloat16Worst = MathF.Max(bfloat16Worst, ParityCheck.MaxAbsDifference(_bfloat16Output, _peerOutput));
            int8Worst = MathF.Max(int8Worst, ParityCheck.MaxAbsDifference(_int8Output, _peerOutput));
            if (_int8Peer is not null)
            {
                PeerInt8Step();
                int8PeerWorst = MathF.Max(int8PeerWorst, ParityCheck.MaxAbsDifference(_int8Output, _int8PeerOutput));
            }
        }

        Reset();
        ParityDifference = worst;
        BFloat16Difference = bfloat16Worst;
        Int8Difference = int8Worst;
        Int8PeerDifference = int8PeerWorst;
        ParityCheck.Require(worst, "streaming step");
        return worst;
    }

    public void Dispose()
    {
        _peer.Dispose();
        _int8Peer?.Dispose();
    }

    /// <summary>Every quantized product of the int8 graph (each layer's [W_x | W_r], then W_p) through <see cref="Int8ProductParity"/>.</summary>
    private static double CheckProducts(DenseLayerWeights[] layers, int seed)
    {
        double worst = 0;
        foreach (DenseLayerWeights layer in layers)
        {
            int rows = 4 * layer.HiddenSize, columns = layer.InputSize + layer.OutputSize;
            float[] gates = new float[rows * columns];
            for (int i = 0; i < rows; i++)
            {
                layer.Input.AsSpan(i * layer.InputSize, layer.InputSize).CopyTo(gates.AsSpan(i * columns));
                layer.Recurrent.AsSpan(i * layer.OutputSize, layer.OutputSize).CopyTo(gates.AsSpan((i * columns) + layer.InputSize));
            }

            worst = Math.Max(worst, Int8ProductParity.Check(gates, rows, columns, seed));
            if (layer.Projection is not null)
            {
                worst = Math.Max(worst, Int8ProductParity.Check(layer.Projection, layer.OutputSize, layer.HiddenSize, seed));
            }
        }

        return worst;
    }

    private void Reset()
    {
        _session.Reset();
        _bfloat16Session.Reset();
        _int8Session.Reset();
        _peer.Reset();
        _int8Peer?.Reset();
        _compactFrame = _peerFrame = _bfloat16Frame = _int8Frame = _int8PeerFrame = 0;
    }
}
