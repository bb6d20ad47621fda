using System;
using System.Globalization;

namespace CompactRnn.Onnx.Graphs;

/// <summary>
/// Writes one LSTM/LSTMP step for a batch of rows as plain ONNX operators (MatMul, Add, Split,
/// Sigmoid, Tanh, Mul, Clip), following docs/math.md §2 line by line:
/// <code>
/// a = x·W_xᵀ + b + r_{t−1}·W_rᵀ,  split into [a_i, a_f, a_g, a_o]
/// i = σ(a_i + p_i⊙c_{t−1})   f = σ(a_f + p_f⊙c_{t−1})   g = tanh(a_g)
/// c_t = clip(f⊙c_{t−1} + i⊙g, κ_c)   o = σ(a_o + p_o⊙c_t)   m = o⊙tanh(c_t)
/// r_t = clip(m·W_pᵀ, κ_r)   (r_t = m without projection)
/// </code>
/// Weights are stored transposed (W_xᵀ etc.) so every product is a plain MatMul that ORT pre-packs.
/// </summary>
internal static class OnnxCell
{
    /// <summary>Adds W_xᵀ [n_in, 4n_c] and b [4n_c] as initializers; returns their names.</summary>
    public static (string InputWeights, string Bias) AddInputWeights(OnnxGraph graph, DenseLayerWeights layer, string prefix)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(layer);
        int gates = 4 * layer.HiddenSize;
        string wx = graph.AddInitializer(prefix + "WxT", DenseLayerWeights.Transpose(layer.Input, gates, layer.InputSize), layer.InputSize, gates);
        string b = graph.AddInitializer(prefix + "b", layer.Bias, gates);
        return (wx, b);
    }

    /// <summary>
    /// Appends <c>input · Wᵀ</c> for a rows × columns W and returns the product's name: one MatMul on the stored Wᵀ,
    /// or, with <paramref name="factors"/>, <c>(input · Vᵀ) · Uᵀ</c> on the stored factors.
    /// </summary>
    public static string AddProduct(OnnxGraph graph, string name, string input, float[] dense, LowRankFactors? factors, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (factors is null)
        {
            string wT = graph.AddInitializer(name + "_WT", DenseLayerWeights.Transpose(dense, rows, columns), columns, rows);
            return graph.Op("MatMul", name, input, wT);
        }

        int k = factors.Rank;
        string vT = graph.AddInitializer(name + "_VT", DenseLayerWeights.Transpose(factors.V, k, columns), columns, k);
        string uT = graph.AddInitializer(name + "_UT", DenseLayerWeights.Transpose(factors.U, rows, k), k, rows);
        return graph.Op("MatMul", name, graph.Op("MatMul", name + "_v", input, vT), uT);
    }

    /// <summary>
    /// Appends the step. <paramref name="inputGates"/> is either the name of x [B, n_in] (then W_x and b are
    /// added here) or, with <paramref name="inputIsProjected"/>, of the hoisted x·W_xᵀ + b [B, 4n_c].
    /// The new state is written under the names <paramref name="outputName"/> and <paramref name="cellName"/>.
    /// </summary>
    public static void Append(OnnxGraph graph, DenseLayerWeights layer, string prefix, string inputGates, bool inputIsProjected,
        string previousOutput, string previousCell, string outputName, string cellName)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(layer);
        int hidden = layer.HiddenSize, gates = 4 * hidden;
        string N(string name) => prefix + name;

        if (!inputIsProjected)
        {
            (string wx, string b) = AddInputWeights(graph, layer, prefix);
            inputGates = graph.Op("Add", N("xwb"), graph.Op("MatMul", N("xw"), inputGates, wx), b);
        }

        string recurrentProduct = layer.RecurrentFactors is null
            ? graph.Op("MatMul", N("rw"), previousOutput, graph.AddInitializer(N("WrT"), DenseLayerWeights.Transpose(layer.Recurrent, gates, layer.OutputSize), layer.OutputSize, gates))
            : AddProduct(graph, N("rw"), previousOutput, layer.Recurrent, layer.RecurrentFactors, gates, layer.OutputSize);
        string a = graph.Op("Add", N("a"), inputGates, recurrentProduct);
        AppendGates(graph, layer, prefix, a, previousCell, outputName, cellName, (m, projected) =>
        {
            string wp = graph.AddInitializer(N("WpT"), DenseLayerWeights.Transpose(layer.Projection!, layer.OutputSize, hidden), hidden, layer.OutputSize);
            graph.Op("MatMul", projected, m, wp);
        });
    }

    /// <summary>
    /// Appends the rest of the step from the pre-activation <paramref name="a"/> [B, 4n_c] (the gate products and b
    /// already added): gates, peepholes, cell, output and, for an LSTMP, the projection, which
    /// <paramref name="project"/>(m, name) appends as the value <c>name = m·W_pᵀ</c> (so a caller can choose how the
    /// product is computed, e.g. quantized). The new state is written under <paramref name="outputName"/> and
    /// <paramref name="cellName"/>.
    /// </summary>
    public static void AppendGates(OnnxGraph graph, DenseLayerWeights layer, string prefix, string a, string previousCell,
        string outputName, string cellName, Action<string, string> project)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(project);
        int hidden = layer.HiddenSize;
        string N(string name) => prefix + name;
        string ai = N("a_i"), af = N("a_f"), ag = N("a_g"), ao = N("a_o");
        graph.AddNode("Split", [a], [ai, af, ag, ao], OnnxAttribute.Int("axis", 1)); // four equal parts of 4n_c

        if (layer.Peepholes is not null)
        {
            string pi = graph.AddInitializer(N("p_i"), layer.Peepholes.AsSpan(0, hidden).ToArray(), hidden);
            string pf = graph.AddInitializer(N("p_f"), layer.Peepholes.AsSpan(hidden, hidden).ToArray(), hidden);
            ai = graph.Op("Add", N("a_i_peep"), ai, graph.Op("Mul", N("pc_i"), previousCell, pi));
            af = graph.Op("Add", N("a_f_peep"), af, graph.Op("Mul", N("pc_f"), previousCell, pf));
        }

        string i = graph.Op("Sigmoid", N("i"), ai);
        string f = graph.Op("Sigmoid", N("f"), af);
        string g = graph.Op("Tanh", N("g"), ag);
        string cellHat = layer.CellClip > 0 ? N("c_hat") : cellName;
        graph.Op("Add", cellHat, graph.Op("Mul", N("fc"), f, previousCell), graph.Op("Mul", N("ig"), i, g));
        if (layer.CellClip > 0)
        {
            Clip(graph, prefix + "cell", cellHat, cellName, layer.CellClip);
        }

        if (layer.Peepholes is not null)
        {
            string po = graph.AddInitializer(N("p_o"), layer.Peepholes.AsSpan(2 * hidden, hidden).ToArray(), hidden);
            ao = graph.Op("Add", N("a_o_peep"), ao, graph.Op("Mul", N("pc_o"), cellName, po));
        }

        string o = graph.Op("Sigmoid", N("o"), ao);
        string tanhCell = graph.Op("Tanh", N("tanh_c"), cellName);
        if (layer.Projection is null)
        {
            graph.Op("Mul", outputName, o, tanhCell);
            return;
        }

        string m = graph.Op("Mul", N("m"), o, tanhCell);
        string outputHat = layer.ProjectionClip > 0 ? N("r_hat") : outputName;
        project(m, outputHat);
        if (layer.ProjectionClip > 0)
        {
            Clip(graph, prefix + "projection", outputHat, outputName, layer.ProjectionClip);
        }
    }

    private static void Clip(OnnxGraph graph, string name, string input, string output, float bound)
    {
        string low = graph.AddInitializer(name + "_min", [-bound]);   // scalar (no dims)
        string high = graph.AddInitializer(name + "_max", [bound]);
        graph.Op("Clip", output, input, low, high);
    }

    /// <summary>A name prefix for layer <paramref name="layer"/>.</summary>
    public static string Prefix(int layer) => string.Create(CultureInfo.InvariantCulture, $"l{layer}_");
}
