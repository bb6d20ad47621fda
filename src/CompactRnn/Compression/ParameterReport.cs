using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Compression;

/// <summary>
/// Per-layer and total parameter counts of a network against the dense network of the same sizes
/// (what a CLI <c>info</c> command prints). To compare a compressed model with the model it came from,
/// compare the two reports' <see cref="Total"/>s: a shared-projection compression changes the sizes, so
/// its "dense of the same sizes" is the dense LSTMP with projection k, not the original.
/// </summary>
/// <param name="Layers">One entry per layer, bottom first.</param>
/// <param name="OutputLayerParameters">W_out and b_out (0 without an output layer).</param>
public sealed record ParameterReport(IReadOnlyList<LayerParameterCount> Layers, long OutputLayerParameters)
{
    /// <summary>All trainable floats.</summary>
    public long Total => Layers.Sum(l => l.Parameters) + OutputLayerParameters;

    /// <summary>All floats of the same sizes with every gate matrix dense.</summary>
    public long DenseTotal => Layers.Sum(l => l.DenseParameters) + OutputLayerParameters;

    /// <summary><see cref="DenseTotal"/> / <see cref="Total"/>.</summary>
    public double CompressionRatio => (double)DenseTotal / Total;

    /// <summary>Counts the parameters of <paramref name="network"/>.</summary>
    public static ParameterReport Of(LstmNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var layers = new LayerParameterCount[network.Layers.Count];
        long layerTotal = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            LstmLayer layer = network.Layers[l];
            layers[l] = new LayerParameterCount(l, Describe(layer.InputMatrix), Describe(layer.RecurrentMatrix),
                DescribeProjection(layer),
                layer.InputSize, layer.HiddenSize, layer.OutputSize, layer.ParameterCount, layer.DenseParameterCount);
            layerTotal += layer.ParameterCount;
        }

        return new ParameterReport(layers, network.ParameterCount - layerTotal);
    }

    /// <summary>The spec text of a built matrix with its rank as built (clamped to its shape), e.g. <c>dense</c>,
    /// <c>lowrank:k=16</c>, <c>toeplitz:r=4</c>: <see cref="GateMatrix.SpecText"/>.</summary>
    public static string Describe(GateMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return matrix.SpecText;
    }

    /// <summary>The W_p column: <c>none</c>, the projection's kind, or <c>shared-lowrank:k=K</c> for a layer built as shared low-rank.</summary>
    private static string DescribeProjection(LstmLayer layer)
        => layer.ProjectionMatrix is null ? "none"
            : layer.Options.Projection is SharedLowRankGateMatrixSpec shared ? shared.ToString() : Describe(layer.ProjectionMatrix);

    /// <summary>
    /// A fixed-width text table: one line per layer, the output layer and the total. Sizes are compared one way
    /// only, as parameters in % of the dense equivalent (smaller is more compact), as the CLI's <c>info</c> does.
    /// </summary>
    public string Format()
    {
        var text = new StringBuilder();
        CultureInfo invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"{"layer",-6} {"n_in",6} {"n_c",6} {"n_r",6} {"W_x",-18} {"W_r",-18} {"W_p",-12} {"params",12} {"dense",12} {"% dense",7}");
        foreach (LayerParameterCount layer in Layers)
        {
            text.AppendLine(invariant,
                $"{layer.Index,-6} {layer.InputSize,6} {layer.HiddenSize,6} {layer.OutputSize,6} {layer.InputKind,-18} {layer.RecurrentKind,-18} {layer.ProjectionKind,-12} {layer.Parameters,12} {layer.DenseParameters,12} {Percent(layer.Parameters, layer.DenseParameters),7}");
        }

        if (OutputLayerParameters > 0)
        {
            text.AppendLine(invariant, $"{"output",-6} {string.Empty,6} {string.Empty,6} {string.Empty,6} {"dense",-18} {string.Empty,-18} {string.Empty,-12} {OutputLayerParameters,12} {OutputLayerParameters,12} {Percent(1, 1),7}");
        }

        text.AppendLine(invariant, $"{"total",-6} {string.Empty,6} {string.Empty,6} {string.Empty,6} {string.Empty,-18} {string.Empty,-18} {string.Empty,-12} {Total,12} {DenseTotal,12} {Percent(Total, DenseTotal),7}");
        return text.ToString();
    }

    private static string Percent(long part, long whole) => (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + " %";
}
