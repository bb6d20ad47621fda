namespace CompactRnn.Onnx.Graphs;

/// <summary>
/// Graphs for LSTMP stacks (and any stack with clipping), which the ONNX <c>LSTM</c> operator cannot
/// express: the step of <see cref="OnnxCell"/> as a one-step graph for streaming, and inside a
/// <c>Scan</c> per layer for whole sequences.
/// </summary>
internal static class OnnxLstmpGraphs
{
    /// <summary>
    /// One streaming step: inputs <c>x</c> [B, n_in] and the state <c>r{l}</c> [B, n_r], <c>c{l}</c> [B, n_c]
    /// of every layer; outputs <c>r{l}_next</c> and <c>c{l}_next</c> (the top r is the network output).
    /// </summary>
    public static byte[] Step(DenseLayerWeights[] layers, int batchSize = 1)
    {
        var graph = new OnnxGraph("lstmp_step");
        string x = graph.AddInput(StateNames.Frame, batchSize, layers[0].InputSize);
        for (int l = 0; l < layers.Length; l++)
        {
            DenseLayerWeights layer = layers[l];
            string r = graph.AddInput(StateNames.Output(l), batchSize, layer.OutputSize);
            string c = graph.AddInput(StateNames.Cell(l), batchSize, layer.HiddenSize);
            OnnxCell.Append(graph, layer, OnnxCell.Prefix(l), x, inputIsProjected: false, r, c, StateNames.NextOutput(l), StateNames.NextCell(l));
            graph.AddOutput(StateNames.NextOutput(l), batchSize, layer.OutputSize);
            graph.AddOutput(StateNames.NextCell(l), batchSize, layer.HiddenSize);
            x = StateNames.NextOutput(l);
        }

        return OnnxModelWriter.Write(graph);
    }

    /// <summary>
    /// Whole sequences from the zero state: input <c>x</c> [T, B, n_in], output <c>y</c> [T, B, n_r] (the
    /// top layer's r_t). Per layer, the input product x·W_xᵀ + b of all T·B rows is one MatMul outside the
    /// loop (as CompactRnn does), and a <c>Scan</c> runs the recurrent part step by step.
    /// </summary>
    public static byte[] Sequence(DenseLayerWeights[] layers, int steps, int batchSize)
    {
        var graph = new OnnxGraph("lstmp_sequence");
        string x = graph.AddInput(StateNames.Frame, steps, batchSize, layers[0].InputSize);
        for (int l = 0; l < layers.Length; l++)
        {
            DenseLayerWeights layer = layers[l];
            string prefix = OnnxCell.Prefix(l);
            int gates = 4 * layer.HiddenSize;
            (string wx, string b) = OnnxCell.AddInputWeights(graph, layer, prefix);
            string xw = graph.Op("Add", prefix + "xwb", graph.Op("MatMul", prefix + "xw", x, wx), b); // [T, B, 4n_c]

            var body = new OnnxGraph(prefix + "body");
            string rPrevious = body.AddInput(prefix + "r_prev", batchSize, layer.OutputSize);
            string cPrevious = body.AddInput(prefix + "c_prev", batchSize, layer.HiddenSize);
            string xwStep = body.AddInput(prefix + "xw_t", batchSize, gates);
            string rNext = prefix + "r_next", cNext = prefix + "c_next";
            OnnxCell.Append(body, layer, prefix + "cell_", xwStep, inputIsProjected: true, rPrevious, cPrevious, rNext, cNext);
            body.Op("Identity", prefix + "y_t", rNext); // the scan output must be a value of its own
            body.AddOutput(rNext, batchSize, layer.OutputSize);
            body.AddOutput(cNext, batchSize, layer.HiddenSize);
            body.AddOutput(prefix + "y_t", batchSize, layer.OutputSize);

            string rInitial = graph.AddInitializer(prefix + "r_init", new float[batchSize * layer.OutputSize], batchSize, layer.OutputSize);
            string cInitial = graph.AddInitializer(prefix + "c_init", new float[batchSize * layer.HiddenSize], batchSize, layer.HiddenSize);
            string y = l == layers.Length - 1 ? "y" : prefix + "y";
            graph.AddNode("Scan", [rInitial, cInitial, xw], [prefix + "r_final", prefix + "c_final", y],
                OnnxAttribute.Graph("body", body), OnnxAttribute.Int("num_scan_inputs", 1));
            x = y;
        }

        graph.AddOutput("y", steps, batchSize, layers[^1].OutputSize);
        return OnnxModelWriter.Write(graph);
    }
}
