using System;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Parameters;

namespace CompactRnn.Onnx.Graphs;

/// <summary>
/// The dense equivalent of one CompactRnn layer, in CompactRnn's gate order [i, f, g, o]:
/// every gate matrix expanded with <see cref="GateMatrix.ToDense"/>. ONNX has no compact kinds, so the
/// exporter writes every kind as its dense equivalent (docs/math.md §4), and the benchmarks compare
/// ONNX Runtime on exactly these weights.
/// </summary>
internal sealed class DenseLayerWeights
{
    private DenseLayerWeights(LstmLayer layer, ReadOnlySpan<float> parameters, bool keepLowRankFactors)
    {
        if (keepLowRankFactors)
        {
            InputFactors = Factors(layer.InputMatrix, parameters, BlockOffset(layer, "Wx."));
            RecurrentFactors = Factors(layer.RecurrentMatrix, parameters, BlockOffset(layer, "Wr."));
        }

        InputSize = layer.InputSize;
        HiddenSize = layer.HiddenSize;
        OutputSize = layer.OutputSize;
        CellClip = layer.Options.CellClip;
        ProjectionClip = layer.Options.ProjectionClip;
        Input = Expand(layer.InputMatrix, parameters, BlockOffset(layer, "Wx."));
        Recurrent = Expand(layer.RecurrentMatrix, parameters, BlockOffset(layer, "Wr."));
        Bias = parameters.Slice(BlockOffset(layer, "b"), 4 * HiddenSize).ToArray();
        Peepholes = layer.Options.Peepholes ? parameters.Slice(BlockOffset(layer, "peepholes"), 3 * HiddenSize).ToArray() : null;
        Projection = layer.ProjectionMatrix is null ? null : Expand(layer.ProjectionMatrix, parameters, BlockOffset(layer, "Wp."));
    }

    public int InputSize { get; }

    /// <summary>n_c.</summary>
    public int HiddenSize { get; }

    /// <summary>n_r (n_c without projection).</summary>
    public int OutputSize { get; }

    public float CellClip { get; }

    public float ProjectionClip { get; }

    /// <summary>U and V of W_x when it is a stacked low-rank matrix and factors were asked for; otherwise null.</summary>
    public LowRankFactors? InputFactors { get; }

    /// <summary>U and V of W_r when it is a stacked low-rank matrix and factors were asked for; otherwise null.</summary>
    public LowRankFactors? RecurrentFactors { get; }

    /// <summary>W_x, 4n_c × n_in, row-major.</summary>
    public float[] Input { get; }

    /// <summary>W_r, 4n_c × n_r, row-major.</summary>
    public float[] Recurrent { get; }

    /// <summary>b, 4n_c.</summary>
    public float[] Bias { get; }

    /// <summary>[p_i, p_f, p_o], 3n_c, or null without peepholes.</summary>
    public float[]? Peepholes { get; }

    /// <summary>W_p, n_r × n_c, or null without projection.</summary>
    public float[]? Projection { get; }

    /// <summary>The dense weights of every layer of a network without an output layer (the benchmarks' stacks).</summary>
    public static DenseLayerWeights[] FromNetwork(LstmNetwork network, ReadOnlySpan<float> parameters)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.OutputMatrix is not null)
        {
            throw new ArgumentException("The ONNX graphs cover the LSTM stack only; build the network without an output layer.", nameof(network));
        }

        return OfLayers(network, parameters, keepLowRankFactors: false);
    }

    /// <summary>
    /// The dense weights of every LSTM layer of a network, whatever follows the stack; with
    /// <paramref name="keepLowRankFactors"/>, also the factors of stacked low-rank matrices.
    /// </summary>
    public static DenseLayerWeights[] OfLayers(LstmNetwork network, ReadOnlySpan<float> parameters, bool keepLowRankFactors)
    {
        ArgumentNullException.ThrowIfNull(network);
        var layers = new DenseLayerWeights[network.Layers.Count];
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l] = new DenseLayerWeights(network.Layers[l], network.LayerParameters(parameters, l), keepLowRankFactors);
        }

        return layers;
    }

    /// <summary>Transposes a rows × columns row-major matrix (ONNX MatMul wants x·Wᵀ with Wᵀ stored).</summary>
    public static float[] Transpose(float[] matrix, int rows, int columns)
    {
        float[] transposed = new float[matrix.Length];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                transposed[(j * rows) + i] = matrix[(i * columns) + j];
            }
        }

        return transposed;
    }

    private static LowRankFactors? Factors(GateMatrix matrix, ReadOnlySpan<float> parameters, int offset)
    {
        if (matrix is not LowRankGateMatrix { GroupCount: 1 } lowRank)
        {
            return null;
        }

        ReadOnlySpan<float> own = parameters.Slice(offset, matrix.ParameterCount);
        return new LowRankFactors(lowRank.ParameterBlocks[0].Slice(own).ToArray(), lowRank.ParameterBlocks[1].Slice(own).ToArray(), lowRank.Rank);
    }

    private static float[] Expand(GateMatrix matrix, ReadOnlySpan<float> parameters, int offset)
    {
        float[] dense = new float[checked(matrix.OutputSize * matrix.InputSize)];
        matrix.ToDense(parameters.Slice(offset, matrix.ParameterCount), dense);
        return dense;
    }

    // The layer documents its layout as named blocks; a matrix's parameters start at its first block.
    private static int BlockOffset(LstmLayer layer, string name)
    {
        foreach (ParameterBlock block in layer.ParameterBlocks)
        {
            if (name.EndsWith('.') ? block.Name.StartsWith(name, StringComparison.Ordinal) : block.Name == name)
            {
                return block.Offset;
            }
        }

        throw new InvalidOperationException($"Layer has no parameter block '{name}'.");
    }
}
