using System;
using CompactRnn.Kernels;
using CompactRnn.Onnx.Graphs;

namespace CompactRnn.Benchmarks.Onnx;

/// <summary>
/// ONNX Runtime's int8 peer: the one-step cell graph of <see cref="OnnxLstmpGraphs.Step"/> with every matrix product
/// quantized as ORT's dynamic quantization does it, from standard operators only:
/// <code>
/// (x_q, σ_x, z_x) = DynamicQuantizeLinear(x)          uint8, σ_x = (max(0, max x) − min(0, min x)) / 255
/// y = Cast(MatMulInteger(x_q, Q_Wᵀ, z_x)) · (σ_x · s)  int32 accumulation, s the per-row scales of W
/// </code>
/// which ORT's graph optimiser fuses into its own quantized matmul kernels. The weights Q_W and s are exactly
/// CompactRnn's (<see cref="Int8Matrix.QuantizeRows"/>), so the two sides differ only in how x is rounded: CompactRnn to
/// 7 bits over [min x, max x] (each entry off by at most about σ′/2, σ′ = (max x − min x)/127), ORT to uint8 over a range
/// that includes 0 (each entry off by at most σ_x/2). As CompactRnn packs a layer's [W_x | W_r] as one
/// matrix with one scale per row, the graph concatenates [x_t, r_{t−1}] and runs one quantized product against it.
/// </summary>
internal static class OrtInt8Graphs
{
    private const long FloatType = 1; // TensorProto.DataType.FLOAT, Cast's "to"

    /// <summary>
    /// One step of <paramref name="batchSize"/> streams (1 for streaming); inputs and outputs as <see cref="OnnxLstmpGraphs.Step"/>
    /// (<see cref="StateNames"/>). DynamicQuantizeLinear rounds each product's whole [B, n] input with one scale and zero point.
    /// </summary>
    public static byte[] Step(DenseLayerWeights[] layers, int batchSize = 1)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var graph = new OnnxGraph("lstmp_step_int8");
        string x = graph.AddInput(StateNames.Frame, batchSize, layers[0].InputSize);
        for (int l = 0; l < layers.Length; l++)
        {
            DenseLayerWeights layer = layers[l];
            string prefix = OnnxCell.Prefix(l);
            int gates = 4 * layer.HiddenSize;
            string r = graph.AddInput(StateNames.Output(l), batchSize, layer.OutputSize);
            string c = graph.AddInput(StateNames.Cell(l), batchSize, layer.HiddenSize);
            graph.AddNode("Concat", [x, r], [prefix + "xr"], OnnxAttribute.Int("axis", 1));
            AppendProduct(graph, prefix + "gates", prefix + "xr", layer.Input, layer.InputSize, layer.Recurrent, layer.OutputSize, gates, prefix + "xrw");
            string a = graph.Op("Add", prefix + "a", prefix + "xrw", graph.AddInitializer(prefix + "b", layer.Bias, gates));
            OnnxCell.AppendGates(graph, layer, prefix, a, c, StateNames.NextOutput(l), StateNames.NextCell(l),
                (m, projected) => AppendProduct(graph, prefix + "projection", m, layer.Projection!, layer.HiddenSize, [], 0, layer.OutputSize, projected));
            graph.AddOutput(StateNames.NextOutput(l), batchSize, layer.OutputSize);
            graph.AddOutput(StateNames.NextCell(l), batchSize, layer.HiddenSize);
            x = StateNames.NextOutput(l);
        }

        return OnnxModelWriter.Write(graph);
    }

    /// <summary>The quantized product alone: input <c>x</c> [1, n], output <c>y</c> [1, m] = x·Wᵀ for the m × n <paramref name="weights"/>.</summary>
    public static byte[] Product(float[] weights, int rows, int columns)
    {
        var graph = new OnnxGraph("int8_product");
        graph.AddInput("x", 1, columns);
        AppendProduct(graph, "w", "x", weights, columns, [], 0, rows, "y");
        graph.AddOutput("y", 1, rows);
        return OnnxModelWriter.Write(graph);
    }

    /// <summary>
    /// Appends <c>output = input · Wᵀ</c> for W = [left | right] (rows × (leftColumns + rightColumns), row-major), W stored as
    /// CompactRnn's int8 integers (transposed, [n, m]) and row scales.
    /// </summary>
    private static void AppendProduct(OnnxGraph graph, string name, string input, ReadOnlySpan<float> left, int leftColumns,
        ReadOnlySpan<float> right, int rightColumns, int rows, string output)
    {
        int columns = leftColumns + rightColumns;
        float[] quantized = Int8Matrix.QuantizeRows(rows, left, leftColumns, right, rightColumns, out float[] scales);
        sbyte[] transposed = new sbyte[quantized.Length];
        for (int i = 0; i < rows; i++)
        {
            for (int p = 0; p < columns; p++)
            {
                transposed[(p * rows) + i] = checked((sbyte)quantized[(i * columns) + p]);
            }
        }

        string weights = graph.AddInt8Initializer(name + "_QT", transposed, columns, rows);
        string rowScales = graph.AddInitializer(name + "_s", scales, rows);
        string xq = name + "_xq", xScale = name + "_xs", xZero = name + "_xz", sum = name + "_sum_f";
        graph.AddNode("DynamicQuantizeLinear", [input], [xq, xScale, xZero]);
        string integerSum = graph.Op("MatMulInteger", name + "_sum", xq, weights, xZero); // B's zero point: omitted (symmetric)
        graph.AddNode("Cast", [integerSum], [sum], OnnxAttribute.Int("to", FloatType));
        graph.Op("Mul", output, sum, graph.Op("Mul", name + "_scale", xScale, rowScales));
    }
}
