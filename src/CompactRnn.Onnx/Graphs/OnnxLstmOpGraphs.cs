using System;
using System.Globalization;

namespace CompactRnn.Onnx.Graphs;

/// <summary>
/// Graphs built on the standard ONNX <c>LSTM</c> operator, for stacks of layers without projection
/// (the operator has none) and without clipping (its <c>clip</c> attribute clips pre-activations, not c_t).
/// </summary>
/// <remarks>
/// Mapping from CompactRnn (gates stacked [i, f, g, o], one bias per gate row, peepholes [p_i, p_f, p_o]):
/// the operator stacks W, R and its biases as [i, o, f, c], takes B = [Wb, Rb] (here Wb = b and Rb = 0)
/// and peepholes P = [p_i, p_o, p_f]. Its peephole equations match docs/math.md §2: p_i and p_f read c_{t−1},
/// p_o reads the new c_t.
/// </remarks>
internal static class OnnxLstmOpGraphs
{
    // For each ONNX gate block (i, o, f, c), the CompactRnn block (i=0, f=1, g=2, o=3) that fills it.
    private static readonly int[] GateBlockOrder = [0, 3, 1, 2];

    // For each ONNX peephole block (i, o, f), the CompactRnn block (p_i=0, p_f=1, p_o=2).
    private static readonly int[] PeepholeBlockOrder = [0, 2, 1];

    /// <summary>
    /// Whole sequences: input <c>x</c> [T, B, n_in], output <c>y</c> [T, B, n_c] (the top layer's h_t),
    /// zero initial state.
    /// </summary>
    public static byte[] Sequence(DenseLayerWeights[] layers, int steps, int batchSize)
    {
        var graph = new OnnxGraph("lstm_sequence");
        string x = graph.AddInput("x", steps, batchSize, layers[0].InputSize);
        string squeezeAxes = graph.AddInt64Initializer("num_directions_axis", [1], 1);
        for (int l = 0; l < layers.Length; l++)
        {
            string prefix = Prefix(l);
            string[] inputs = AddLayerInputs(graph, layers[l], prefix, x, string.Empty, string.Empty);
            string y4 = prefix + "y4";
            graph.AddNode("LSTM", inputs, [y4], HiddenSize(layers[l]));
            x = graph.Op("Squeeze", l == layers.Length - 1 ? "y" : prefix + "y", y4, squeezeAxes); // [T, 1, B, H] → [T, B, H]
        }

        graph.AddOutput("y", steps, batchSize, layers[^1].HiddenSize);
        return OnnxModelWriter.Write(graph);
    }

    /// <summary>
    /// One streaming step for batch 1: inputs <c>x</c> [1, 1, n_in] and the state <c>r{l}</c>, <c>c{l}</c>
    /// [1, 1, n_c] of every layer; outputs <c>r{l}_next</c>, <c>c{l}_next</c> (the top r is the output).
    /// </summary>
    public static byte[] Step(DenseLayerWeights[] layers)
    {
        var graph = new OnnxGraph("lstm_step");
        string x = graph.AddInput("x", 1, 1, layers[0].InputSize);
        for (int l = 0; l < layers.Length; l++)
        {
            string prefix = Prefix(l);
            int hidden = layers[l].HiddenSize;
            string h = graph.AddInput(StateNames.Output(l), 1, 1, hidden);
            string c = graph.AddInput(StateNames.Cell(l), 1, 1, hidden);
            string[] inputs = AddLayerInputs(graph, layers[l], prefix, x, h, c);
            string hNext = StateNames.NextOutput(l), cNext = StateNames.NextCell(l);
            graph.AddNode("LSTM", inputs, [string.Empty, hNext, cNext], HiddenSize(layers[l]));
            graph.AddOutput(hNext, 1, 1, hidden);
            graph.AddOutput(cNext, 1, 1, hidden);
            x = hNext; // Y_h is [1, B=1, H], which reads as the next layer's X of one step
        }

        return OnnxModelWriter.Write(graph);
    }

    private static string[] AddLayerInputs(OnnxGraph graph, DenseLayerWeights layer, string prefix, string x, string initialH, string initialC)
    {
        if (layer.Projection is not null || layer.CellClip > 0 || layer.ProjectionClip > 0)
        {
            throw new NotSupportedException("The ONNX LSTM operator has no projection and clips pre-activations; use OnnxLstmpGraphs.");
        }

        int hidden = layer.HiddenSize;
        string w = graph.AddInitializer(prefix + "W", ReorderGateRows(layer.Input, hidden, layer.InputSize), 1, 4 * hidden, layer.InputSize);
        string r = graph.AddInitializer(prefix + "R", ReorderGateRows(layer.Recurrent, hidden, hidden), 1, 4 * hidden, hidden);
        float[] bias = new float[8 * hidden];                      // [Wb, Rb] with Rb = 0
        ReorderGateRows(layer.Bias, hidden, 1).CopyTo(bias, 0);
        string b = graph.AddInitializer(prefix + "B", bias, 1, 8 * hidden);
        if (layer.Peepholes is null)
        {
            return initialH.Length == 0 ? [x, w, r, b] : [x, w, r, b, string.Empty, initialH, initialC];
        }

        float[] peepholes = new float[3 * hidden];
        for (int block = 0; block < 3; block++)
        {
            Array.Copy(layer.Peepholes, PeepholeBlockOrder[block] * hidden, peepholes, block * hidden, hidden);
        }

        string p = graph.AddInitializer(prefix + "P", peepholes, 1, 3 * hidden);
        return [x, w, r, b, string.Empty, initialH, initialC, p];
    }

    private static float[] ReorderGateRows(float[] rows, int hidden, int columns)
    {
        float[] reordered = new float[rows.Length];
        int blockLength = hidden * columns;
        for (int block = 0; block < 4; block++)
        {
            Array.Copy(rows, GateBlockOrder[block] * blockLength, reordered, block * blockLength, blockLength);
        }

        return reordered;
    }

    private static OnnxAttribute HiddenSize(DenseLayerWeights layer) => OnnxAttribute.Int("hidden_size", layer.HiddenSize);

    private static string Prefix(int layer) => string.Create(CultureInfo.InvariantCulture, $"l{layer}_");
}
