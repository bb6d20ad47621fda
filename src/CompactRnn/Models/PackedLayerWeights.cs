using System;
using CompactRnn.GateMatrices;
using CompactRnn.Kernels;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// The streaming packs of one layer's dense matrices, at one <see cref="WeightPrecision"/> (bf16:
/// <see cref="BFloat16Matrix"/>; int8: <see cref="Int8Matrix"/>; float32: <see cref="Float32StreamingMatrix"/>). When both
/// W_x and W_r are packed they are packed side by side as one 4n_c × (n_in + n_r) matrix, so a step reads one stream against
/// the concatenation [x_t; r_{t−1}]. A compact matrix (low-rank, Toeplitz-like, …) keeps its own float32 product, since it
/// already moves far fewer bytes than a dense one, except at bf16 or int8 where its dense form at that precision is no
/// larger than its parameters (<see cref="Packs"/>): then that dense form is packed.
/// </summary>
internal sealed class PackedLayerWeights
{
    /// <summary>Packs the dense matrices of <paramref name="layer"/> from its parameter slice at <paramref name="precision"/>.</summary>
    public PackedLayerWeights(LstmLayer layer, ReadOnlySpan<float> parameters, WeightPrecision precision)
    {
        bool inputPacked = Packs(layer.InputMatrix, precision), recurrentPacked = Packs(layer.RecurrentMatrix, precision);
        ReadOnlySpan<float> input = inputPacked ? DenseWeights(layer.InputMatrix, layer.InputParameters(parameters)) : [];
        ReadOnlySpan<float> recurrent = recurrentPacked ? DenseWeights(layer.RecurrentMatrix, layer.RecurrentParameters(parameters)) : [];
        int gateRows = 4 * layer.HiddenSize;
        if (inputPacked && recurrentPacked)
        {
            Gates = Pack(precision, gateRows, input, layer.InputSize, recurrent, layer.OutputSize);
        }
        else
        {
            Input = inputPacked ? Pack(precision, gateRows, input, layer.InputSize) : null;
            Recurrent = recurrentPacked ? Pack(precision, gateRows, recurrent, layer.OutputSize) : null;
        }

        Projection = layer.ProjectionMatrix is { } projection && Packs(projection, precision)
            ? Pack(precision, layer.OutputSize, DenseWeights(projection, layer.ProjectionParameters(parameters)), layer.HiddenSize)
            : null;
    }

    /// <summary>
    /// Whether a session at <paramref name="precision"/> streams <paramref name="matrix"/> from a pack: a dense matrix always;
    /// at bf16 or int8 also a compact one whose dense form at that precision takes no more bytes than its own float32
    /// parameters (m·n·2 or m·n·1 ≤ 4·parameters: a Toeplitz-like or low-rank matrix with a short side, such as W_x of a
    /// bottom layer with 40 inputs, or a Toeplitz-like matrix whose generators outnumber its entries). Such a matrix is packed
    /// as its exact dense form (<see cref="GateMatrix.ToDense"/>) and then rounded like a dense one, so it is stored in fewer
    /// bytes than as float32 generators or factors and its error is a dense matrix's at that precision. Storing the
    /// generators themselves at int8 instead was measured and rejected: rounding each generator to int8 moved the v2
    /// hybrid's test WER by +0.8 points (docs/benchmarks.md), since every entry of M sums r·N generator products.
    /// </summary>
    internal static bool Packs(GateMatrix matrix, WeightPrecision precision)
        => matrix.IsDense || precision switch
        {
            WeightPrecision.BFloat16 => 2L * matrix.OutputSize * matrix.InputSize <= 4L * matrix.ParameterCount,
            WeightPrecision.Int8 => (long)matrix.OutputSize * matrix.InputSize <= 4L * matrix.ParameterCount,
            _ => false,
        };

    /// <summary>The matrix's m×n entries, row-major: its parameters when dense, else its dense form.</summary>
    private static ReadOnlySpan<float> DenseWeights(GateMatrix matrix, ReadOnlySpan<float> parameters)
    {
        if (matrix.IsDense)
        {
            return parameters;
        }

        float[] dense = new float[checked(matrix.OutputSize * matrix.InputSize)];
        matrix.ToDense(parameters, dense);
        return dense;
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
