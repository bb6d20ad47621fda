using System;
using System.Numerics.Tensors;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// The batch-1 step of a <see cref="StreamingSession"/> over packed weights: the same equations as
/// <see cref="LstmLayer.Forward"/> (and the same <see cref="LstmCellMath"/>), with every dense product taken
/// from the model's packs at the session's <see cref="WeightPrecision"/> (see <see cref="PackedNetworkWeights"/>). Holds the carried state and all scratch, so a step allocates nothing.
/// </summary>
/// <remarks>
/// Buffers are laid out so that no copy is needed where a product reads: r_{t−1} of layer l lives right after
/// x_t in the combined input [x_t; r_{t−1}] of layer l's gate product, and the zero padding past each product's
/// columns is written once and never touched again.
/// </remarks>
internal sealed class PackedStreamingStep
{
    private readonly LstmModel _model;
    private readonly PackedNetworkWeights _weights;
    private readonly float[][] _inputs;      // per layer: x_t (then r_{t−1} when the gate pack is combined), padded
    private readonly float[][] _recurrent;   // per layer: r_{t−1}, padded (the same array as _inputs[l] when combined)
    private readonly int[] _recurrentStart;  // where r_{t−1} starts in _recurrent[l]
    private readonly float[][] _cells, _nextCells;
    private readonly float[][] _gates, _cellBeforeClip, _tanhCell, _cellOutput, _projected;
    private readonly float[] _topOutput;     // r_t of the top layer, padded for W_out
    private readonly float[] _logits;
    private readonly float[] _workspace;     // for the float32 products of compact matrices

    /// <summary>Allocates state and scratch for one stream over <paramref name="model"/>'s packs at <paramref name="precision"/>.</summary>
    public PackedStreamingStep(LstmModel model, WeightPrecision precision)
    {
        _model = model;
        LstmNetwork network = model.InferenceNetwork;
        _weights = precision == WeightPrecision.Float32 && !PackedNetworkWeights.HasCombinedGates(network)
            ? PackedNetworkWeights.Unpacked(network) // nothing to gain from a float32 copy: read the parameters in place
            : model.PackedWeights(precision);
        int layers = network.Layers.Count, workspace = 0;
        _inputs = new float[layers][];
        _recurrent = new float[layers][];
        _recurrentStart = new int[layers];
        _cells = new float[layers][];
        _nextCells = new float[layers][];
        _gates = new float[layers][];
        _cellBeforeClip = new float[layers][];
        _tanhCell = new float[layers][];
        _cellOutput = new float[layers][];
        _projected = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            LstmLayer layer = network.Layers[l];
            PackedLayerWeights packs = _weights.Layers[l];
            int n = layer.HiddenSize;
            if (packs.Gates is not null)
            {
                _inputs[l] = _recurrent[l] = new float[packs.Gates.PaddedColumns];
                _recurrentStart[l] = layer.InputSize;
            }
            else
            {
                _inputs[l] = new float[packs.Input?.PaddedColumns ?? layer.InputSize];
                _recurrent[l] = new float[packs.Recurrent?.PaddedColumns ?? layer.OutputSize];
            }

            _cells[l] = new float[n];
            _nextCells[l] = new float[n];
            _gates[l] = new float[4 * n];
            _cellBeforeClip[l] = new float[n];
            _tanhCell[l] = new float[n];
            _cellOutput[l] = new float[packs.Projection?.PaddedColumns ?? n];
            _projected[l] = new float[layer.OutputSize];
            workspace = Math.Max(workspace, layer.WorkspaceSize(1, 1));
        }

        _topOutput = new float[_weights.Output?.PaddedColumns ?? network.Layers[^1].OutputSize];
        _logits = new float[network.OutputSize];
        _workspace = new float[Math.Max(workspace, network.OutputMatrix?.WorkspaceSize(1) ?? 0)];
    }

    /// <summary>Bytes of the packs this stream reads (the model's, shared by its sessions of the same precision; 0 when unpacked).</summary>
    public long PackBytes => _weights.Bytes;

    /// <summary>Bytes of this stream's own arrays: carried state, padded inputs and scratch (the packs are the model's).</summary>
    public long BufferBytes
    {
        get
        {
            long bytes = AllocatedBytes.Of(_topOutput, _logits, _workspace);
            for (int l = 0; l < _cells.Length; l++)
            {
                bytes += AllocatedBytes.Of(_cells[l], _nextCells[l], _gates[l], _cellBeforeClip[l], _tanhCell[l], _cellOutput[l], _projected[l], _inputs[l]);
                if (!ReferenceEquals(_recurrent[l], _inputs[l]))
                {
                    bytes += AllocatedBytes.Of(_recurrent[l]);
                }
            }

            return bytes;
        }
    }

    /// <summary>Consumes one frame (validated by the caller) and writes the output row.</summary>
    public void Step(ReadOnlySpan<float> frame, Span<float> output)
    {
        LstmNetwork network = _model.InferenceNetwork;
        ReadOnlySpan<float> parameters = _model.Parameters, cache = _model.InferenceCache;
        ReadOnlySpan<float> x = frame;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            LstmLayer layer = network.Layers[l];
            x.CopyTo(_inputs[l]);
            ReadOnlySpan<float> r = StepLayer(l, layer, network.LayerParameters(parameters, l), network.LayerCache(cache, l));
            x = r;
        }

        if (network.OutputMatrix is null)
        {
            x[..output.Length].CopyTo(output);
            return;
        }

        x.CopyTo(_topOutput);
        network.OutputBias(parameters).CopyTo(_logits);
        if (_weights.Output is not null)
        {
            _weights.Output.MultiplyAdd(_topOutput, _logits); // z = W_out r + b_out
        }
        else
        {
            network.OutputMatrix.Forward(new GateMatrixWeights(network.OutputWeights(parameters), []), x, 1, _logits, _workspace);
        }

        _logits.AsSpan(0, output.Length).CopyTo(output);
    }

    /// <summary>Back to the zero state (the padding is zero too).</summary>
    public void Reset()
    {
        for (int l = 0; l < _cells.Length; l++)
        {
            Array.Clear(_recurrent[l]);
            Array.Clear(_cells[l]);
        }
    }

    /// <summary>One layer's step; returns its r_t, which stays valid until the layer's next step.</summary>
    private ReadOnlySpan<float> StepLayer(int l, LstmLayer layer, ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache)
    {
        PackedLayerWeights packs = _weights.Layers[l];
        int n = layer.HiddenSize, nr = layer.OutputSize;
        Span<float> gates = _gates[l];
        Span<float> previousOutput = _recurrent[l].AsSpan(_recurrentStart[l], nr);
        layer.Bias(parameters).CopyTo(gates);                                        // a = b
        if (packs.Gates is not null)
        {
            packs.Gates.MultiplyAdd(_inputs[l], gates);                              //   + [W_x | W_r]·[x_t; r_{t−1}]
        }
        else
        {
            if (packs.Input is not null)
            {
                packs.Input.MultiplyAdd(_inputs[l], gates);                          //   + W_x x_t
            }
            else
            {
                layer.InputMatrix.Forward(layer.InputWeights(parameters, cache), _inputs[l].AsSpan(0, layer.InputSize), 1, gates, _workspace);
            }

            if (packs.Recurrent is not null)
            {
                packs.Recurrent.MultiplyAdd(_recurrent[l], gates);                   //   + W_r r_{t−1}
            }
            else
            {
                layer.RecurrentMatrix.Forward(layer.RecurrentWeights(parameters, cache), previousOutput, 1, gates, _workspace);
            }
        }

        Span<float> m = _cellOutput[l].AsSpan(0, n);
        LstmCellMath.Forward(gates, layer.Peepholes(parameters), _cells[l], layer.Options.CellClip, _cellBeforeClip[l], _nextCells[l], _tanhCell[l], m);
        (_cells[l], _nextCells[l]) = (_nextCells[l], _cells[l]);                     // c_t becomes the carried state
        if (!layer.HasProjection)
        {
            m.CopyTo(previousOutput);                                                // r_t = m_t
            return previousOutput;
        }

        Span<float> projected = _projected[l];
        projected.Clear();
        if (packs.Projection is not null)
        {
            packs.Projection.MultiplyAdd(_cellOutput[l], projected);                 // r̂ = W_p m
        }
        else
        {
            layer.ProjectionMatrix!.Forward(layer.ProjectionWeights(parameters, cache), m, 1, projected, _workspace);
        }

        if (layer.Options.ProjectionClip > 0)
        {
            TensorPrimitives.Clamp(projected, -layer.Options.ProjectionClip, layer.Options.ProjectionClip, previousOutput); // r = clip(r̂)
        }
        else
        {
            projected.CopyTo(previousOutput);
        }

        return previousOutput;
    }
}
