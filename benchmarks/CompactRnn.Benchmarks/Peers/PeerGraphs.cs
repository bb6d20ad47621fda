using System.Linq;
using CompactRnn.Onnx.Graphs;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>Chooses the ONNX form of a stack: the standard LSTM operator where it applies, the cell graph otherwise.</summary>
internal static class PeerGraphs
{
    /// <summary>True when every layer is a plain LSTM without clipping (the ONNX LSTM operator fits).</summary>
    public static bool FitsLstmOperator(DenseLayerWeights[] layers)
        => layers.All(l => l.Projection is null && l.CellClip == 0 && l.ProjectionClip == 0);

    /// <summary>The one-step graph; <paramref name="cellGraph"/> forces the cell graph even where the LSTM operator fits.</summary>
    public static byte[] Step(DenseLayerWeights[] layers, bool cellGraph = false)
        => FitsLstmOperator(layers) && !cellGraph ? OnnxLstmOpGraphs.Step(layers) : OnnxLstmpGraphs.Step(layers);

    public static byte[] Sequence(DenseLayerWeights[] layers, int steps, int batchSize)
        => FitsLstmOperator(layers) ? OnnxLstmOpGraphs.Sequence(layers, steps, batchSize) : OnnxLstmpGraphs.Sequence(layers, steps, batchSize);

    public static string Describe(DenseLayerWeights[] layers, bool sequence, bool cellGraph = false)
        => FitsLstmOperator(layers) && !cellGraph ? "ONNX LSTM operator" : sequence ? "per-layer ONNX Scan over the cell graph" : "one-step ONNX cell graph";
}
