using System;
using System.Linq;
using CompactRnn.Models;
using CompactRnn.Parameters;

namespace CompactRnn.Onnx.Graphs;

/// <summary>
/// The graph <see cref="OnnxExporter"/> writes: a whole network (LSTM/LSTMP stack and output layer) over a
/// sequence of any length and batch, from given states to final states, so the same graph serves whole
/// sequences and streaming (one frame per run, states fed back).
/// </summary>
/// <remarks>
/// Per layer, the input product x·W_xᵀ + b of all T·B rows is one MatMul outside the loop, and a <c>Scan</c>
/// runs the recurrent part of <see cref="OnnxCell"/> (docs/math.md §2) step by step, carrying (r, c).
/// The output layer is one MatMul + Add over all frames; in last-frame mode a Gather keeps frame T−1.
/// </remarks>
internal static class DeploymentGraph
{
    private const string Time = "time";
    private const string Batch = "batch";

    /// <summary>Builds the graph of <paramref name="model"/>: stacked low-rank matrices as their two factors, every other kind as its dense equivalent.</summary>
    public static OnnxGraph Build(LstmModel model)
    {
        LstmNetwork network = model.Network;
        ReadOnlySpan<float> parameters = model.Parameters;
        DenseLayerWeights[] layers = DenseLayerWeights.OfLayers(network, parameters, keepLowRankFactors: true);
        var graph = new OnnxGraph("compactrnn");
        string x = graph.AddInput(OnnxExporter.InputName, [Time, Batch, null], 0, 0, layers[0].InputSize);
        for (int l = 0; l < layers.Length; l++)
        {
            graph.AddInput(OnnxExporter.OutputStateName(l), [Batch, null], 0, layers[l].OutputSize);
            graph.AddInput(OnnxExporter.CellStateName(l), [Batch, null], 0, layers[l].HiddenSize);
        }

        for (int l = 0; l < layers.Length; l++)
        {
            DenseLayerWeights layer = layers[l];
            string prefix = OnnxCell.Prefix(l);
            int gates = 4 * layer.HiddenSize;
            string b = graph.AddInitializer(prefix + "b", layer.Bias, gates);
            string xw = graph.Op("Add", prefix + "xwb", OnnxCell.AddProduct(graph, prefix + "xw", x, layer.Input, layer.InputFactors, gates, layer.InputSize), b); // [T, B, 4n_c]

            var body = new OnnxGraph(prefix + "body");
            string rPrevious = body.AddInput(prefix + "r_prev", [Batch, null], 0, layer.OutputSize);
            string cPrevious = body.AddInput(prefix + "c_prev", [Batch, null], 0, layer.HiddenSize);
            string xwStep = body.AddInput(prefix + "xw_t", [Batch, null], 0, gates);
            string rNext = prefix + "r_next", cNext = prefix + "c_next";
            OnnxCell.Append(body, layer, prefix + "cell_", xwStep, inputIsProjected: true, rPrevious, cPrevious, rNext, cNext);
            body.Op("Identity", prefix + "y_t", rNext); // a scan output must be a value of its own
            body.AddOutput(rNext, [Batch, null], 0, layer.OutputSize);
            body.AddOutput(cNext, [Batch, null], 0, layer.HiddenSize);
            body.AddOutput(prefix + "y_t", [Batch, null], 0, layer.OutputSize);

            string y = prefix + "y";
            graph.AddNode("Scan", [OnnxExporter.OutputStateName(l), OnnxExporter.CellStateName(l), xw],
                [OnnxExporter.NextOutputStateName(l), OnnxExporter.NextCellStateName(l), y],
                OnnxAttribute.Graph("body", body), OnnxAttribute.Int("num_scan_inputs", 1));
            x = y;
        }

        if (network.OutputMatrix is null)
        {
            graph.Op("Identity", OnnxExporter.OutputName, x);
            graph.AddOutput(OnnxExporter.OutputName, [Time, Batch, null], 0, 0, layers[^1].OutputSize);
        }
        else
        {
            AddOutputLayer(graph, network, parameters, x, layers[^1].OutputSize);
        }

        for (int l = 0; l < layers.Length; l++)
        {
            graph.AddOutput(OnnxExporter.NextOutputStateName(l), [Batch, null], 0, layers[l].OutputSize);
            graph.AddOutput(OnnxExporter.NextCellStateName(l), [Batch, null], 0, layers[l].HiddenSize);
        }

        return graph;
    }

    private static void AddOutputLayer(OnnxGraph graph, LstmNetwork network, ReadOnlySpan<float> parameters, string top, int topSize)
    {
        int classes = network.OutputSize;
        ParameterBlock weights = network.ParameterBlocks.Single(b => b.Name == "output.W");
        ParameterBlock bias = network.ParameterBlocks.Single(b => b.Name == "output.b");
        string wT = graph.AddInitializer("output_WT", DenseLayerWeights.Transpose(weights.Slice(parameters).ToArray(), classes, topSize), topSize, classes);
        string b = graph.AddInitializer("output_b", bias.Slice(parameters).ToArray(), classes);
        bool lastFrame = network.Options.OutputMode == OutputMode.LastFrame;
        string logits = graph.Op("Add", lastFrame ? "frame_logits" : OnnxExporter.OutputName, graph.Op("MatMul", "output_xw", top, wT), b);
        if (lastFrame)
        {
            // Every sequence of a run has length T, so its last valid frame is T − 1 (Gather accepts −1).
            string last = graph.AddInt64Initializer("last_frame", [-1]);
            graph.AddNode("Gather", [logits, last], [OnnxExporter.OutputName], OnnxAttribute.Int("axis", 0));
            graph.AddOutput(OnnxExporter.OutputName, [Batch, null], 0, classes);
        }
        else
        {
            graph.AddOutput(OnnxExporter.OutputName, [Time, Batch, null], 0, 0, classes);
        }
    }
}
