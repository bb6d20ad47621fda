using System.Collections.Generic;
using System.Globalization;
using CompactRnn.Compression;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Cli.Reporting;

/// <summary>
/// What each built layer is, matrix by matrix, so no kind hides behind another: a projection is shown as
/// the shared low-rank factor it is (docs/math.md §5 scheme C), read by the layer's W_r and by its consumer.
/// </summary>
internal static class LayerDescription
{
    public static IEnumerable<string> Lines(LstmNetwork network)
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"layer {l}: {Describe(network, l)}");
        }
    }

    /// <summary>The W_x, W_r and projection of layer <paramref name="index"/>, e.g. "128 cells, W_x toeplitz:r=2, W_r toeplitz:r=2, no projection".</summary>
    public static string Describe(LstmNetwork network, int index)
    {
        LstmLayer layer = network.Layers[index];
        string matrices = ParameterReport.Describe(layer.InputMatrix) == ParameterReport.Describe(layer.RecurrentMatrix)
            ? $"W_x and W_r {ParameterReport.Describe(layer.InputMatrix)}"
            : $"W_x {ParameterReport.Describe(layer.InputMatrix)}, W_r {ParameterReport.Describe(layer.RecurrentMatrix)}";
        string projection = Projection(network, index);
        return string.Create(CultureInfo.InvariantCulture, $"{layer.HiddenSize} cells, {matrices}, {projection}");
    }

    private static string Projection(LstmNetwork network, int index)
    {
        LstmLayer layer = network.Layers[index];
        if (layer.ProjectionMatrix is null)
        {
            return "no projection";
        }

        string consumer = index + 1 < network.Layers.Count
            ? string.Create(CultureInfo.InvariantCulture, $"layer {index + 1}'s W_x")
            : network.OutputMatrix is null ? "the network output" : "the output layer";
        return string.Create(CultureInfo.InvariantCulture,
            $"projection {layer.OutputSize} ({ParameterReport.Describe(layer.ProjectionMatrix)} P: the shared-lowrank:k={layer.OutputSize} factor read by W_r and {consumer})");
    }
}
