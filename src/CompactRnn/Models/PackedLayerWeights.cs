using System;
using CompactRnn.Kernels;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// The streaming packs of one layer's dense matrices, at one <see cref="WeightPrecision"/> (bf16:
/// <see cref="BFloat16Matrix"/>; float32: <see cref="Float32StreamingMatrix"/>). When both W_x and W_r are dense
/// they are packed side by side as one 4n_c × (n_in + n_r) matrix, so a step reads one stream against the
/// concatenation [x_t; r_{t−1}]. A compact matrix (low-rank, Toeplitz-like, …) keeps its own float32 product:
/// it already moves far fewer bytes than a dense one.
/// </summary>
internal sealed class PackedLayerWeights
{
    /// <summary>Packs the dense matrices of <paramref name="layer"/> from its parameter slice at <paramref name="precision"/>.</summary>
    public PackedLayerWeights(LstmLayer layer, ReadOnlySpan<float> parameters, WeightPrecision precision)
    {
        bool inputDense = layer.InputMatrix.IsDense, recurrentDense = layer.RecurrentMatrix.IsDense;
        int gateRows = 4 * layer.HiddenSize;
        if (inputDense && recurrentDense)
        {
            Gates = Pack(precision, gateRows, layer.InputParameters(parameters), layer.InputSize, layer.RecurrentParameters(parameters), layer.OutputSize);
        }
        else
        {
            Input = inputDense ? Pack(precision, gateRows, layer.InputParameters(parameters), layer.InputSize) : null;
            Recurrent = recurrentDense ? Pack(precision, gateRows, layer.RecurrentParameters(parameters), layer.OutputSize) : null;
        }

        Projection = layer.ProjectionMatrix is { IsDense: true }
            ? Pack(precision, layer.OutputSize, layer.ProjectionParameters(parameters), layer.HiddenSize)
            : null;
    }

    private PackedLayerWeights()
    {
    }

    /// <summary>A layer with no packs: every product goes through the layer's gate matrices.</summary>
    public static PackedLayerWeights Unpacked { get; } = new();

    /// <summary>[W_x | W_r] when both are dense, else null.</summary>
    public IStreamingMatrix? Gates { get; }

    /// <summary>W_x alone when only it is dense, else null.</summary>
    public IStreamingMatrix? Input { get; }

    /// <summary>W_r alone when only it is dense, else null.</summary>
    public IStreamingMatrix? Recurrent { get; }

    /// <summary>W_p when the layer has a dense projection, else null.</summary>
    public IStreamingMatrix? Projection { get; }

    /// <summary>Packs one dense matrix (<paramref name="rows"/> × <paramref name="columns"/>, row-major) at <paramref name="precision"/>.</summary>
    internal static IStreamingMatrix Pack(WeightPrecision precision, int rows, ReadOnlySpan<float> weights, int columns)
        => Pack(precision, rows, weights, columns, [], 0);

    /// <summary>Packs rows of [left | right] at <paramref name="precision"/>.</summary>
    internal static IStreamingMatrix Pack(WeightPrecision precision, int rows, ReadOnlySpan<float> left, int leftColumns, ReadOnlySpan<float> right, int rightColumns)
        => precision switch
        {
            WeightPrecision.BFloat16 => new BFloat16Matrix(rows, left, leftColumns, right, rightColumns),
            WeightPrecision.Int8 => new Int8Matrix(rows, left, leftColumns, right, rightColumns),
            _ => new Float32StreamingMatrix(rows, left, leftColumns, right, rightColumns),
        };
}
