using System;
using CompactRnn.GateMatrices;
using CompactRnn.Kernels;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// The bf16 packs of one layer's dense matrices for <see cref="WeightPrecision.BFloat16"/> streaming. When both
/// W_x and W_r are dense they are packed side by side as one 4n_c × (n_in + n_r) matrix, so a step reads one
/// stream against the concatenation [x_t; r_{t−1}]. A compact matrix (low-rank, Toeplitz-like, …) keeps its own
/// float32 product: it already moves far fewer bytes than a dense one, which is where bf16 pays.
/// </summary>
internal sealed class BFloat16LayerWeights
{
    /// <summary>Packs the dense matrices of <paramref name="layer"/> from its parameter slice.</summary>
    public BFloat16LayerWeights(LstmLayer layer, ReadOnlySpan<float> parameters)
    {
        bool inputDense = layer.InputMatrix is DenseGateMatrix, recurrentDense = layer.RecurrentMatrix is DenseGateMatrix;
        int gateRows = 4 * layer.HiddenSize;
        if (inputDense && recurrentDense)
        {
            Gates = new BFloat16Matrix(gateRows, layer.InputParameters(parameters), layer.InputSize, layer.RecurrentParameters(parameters), layer.OutputSize);
        }
        else
        {
            Input = inputDense ? new BFloat16Matrix(gateRows, layer.InputParameters(parameters), layer.InputSize, [], 0) : null;
            Recurrent = recurrentDense ? new BFloat16Matrix(gateRows, layer.RecurrentParameters(parameters), layer.OutputSize, [], 0) : null;
        }

        Projection = layer.ProjectionMatrix is DenseGateMatrix
            ? new BFloat16Matrix(layer.OutputSize, layer.ProjectionParameters(parameters), layer.HiddenSize, [], 0)
            : null;
    }

    /// <summary>[W_x | W_r] when both are dense, else null.</summary>
    public BFloat16Matrix? Gates { get; }

    /// <summary>W_x alone when only it is dense, else null.</summary>
    public BFloat16Matrix? Input { get; }

    /// <summary>W_r alone when only it is dense, else null.</summary>
    public BFloat16Matrix? Recurrent { get; }

    /// <summary>W_p when the layer has a dense projection, else null.</summary>
    public BFloat16Matrix? Projection { get; }
}
