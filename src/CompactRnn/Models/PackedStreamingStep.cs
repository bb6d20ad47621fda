using System;
using System.Numerics.Tensors;
using CompactRnn.GateMatrices;
using CompactRnn.Kernels;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// One step of R streams in lockstep over packed weights: the batch-1 step of a <see cref="StreamingSession"/> (R = 1)
/// and the row block of batch inference at bf16 or int8 (<see cref="PackedSequenceInference"/>, R ≤ 4). The same equations as
/// <see cref="LstmLayer.Forward"/> (and the same <see cref="LstmCellMath"/>), with every dense product taken from the model's
/// packs at the session's <see cref="WeightPrecision"/> (see <see cref="PackedNetworkWeights"/>). Holds the carried state
/// and all scratch, so a step allocates nothing.
/// </summary>
/// <remarks>
/// <para>Buffers are laid out so that no copy is needed where a product reads: r_{t−1} of layer l lives right after
/// x_t in the combined input [x_t; r_{t−1}] of layer l's gate product, and the zero padding past each product's
/// columns is written once and never touched again. Row k of every buffer starts k strides in; a pack multiplies all
/// R rows in one call (<see cref="IStreamingMatrix.MultiplyAddRows"/>), and each row's result is what a one-row step
/// computes from that row alone (the packs' kernels treat rows independently). Compact matrices run their own
/// products on the R rows, whose buffers are then unpadded and contiguous.</para>
/// <para>A row whose sequence has ended (<c>t ≥ lengths[k]</c>) keeps its state: its products are computed and dropped,
/// and its output is that of the carried r, as <see cref="LstmLayer.Forward"/> carries state over padding.</para>
/// </remarks>
internal sealed class PackedStreamingStep
{
    private readonly LstmModel _model;
    private readonly PackedNetworkWeights _weights;
    private readonly int _rows;
    private readonly float[][] _inputs;      // per layer: x_t (then r_{t−1} when the gate pack is combined), padded, per row
    private readonly float[][] _recurrent;   // per layer: r_{t−1}, padded (the same array as _inputs[l] when combined)
    private readonly int[] _inputStride;     // floats between rows of _inputs[l]
    private readonly int[] _recurrentStride; // floats between rows of _recurrent[l]
    private readonly int[] _recurrentStart;  // where r_{t−1} starts in a row of _recurrent[l]
    private readonly int[] _cellOutputStride;
    private readonly float[][] _cells, _nextCells;
    private readonly float[][] _gates, _cellBeforeClip, _tanhCell, _cellOutput, _projected;
    private readonly float[] _topOutput;     // r_t of the top layer, padded for W_out, per row
    private readonly int _topStride;
    private readonly float[] _logits;
    private readonly float[] _workspace;     // for the float32 products of compact matrices

    /// <summary>Allocates state and scratch for <paramref name="rows"/> streams over <paramref name="model"/>'s packs at <paramref name="precision"/>.</summary>
    public PackedStreamingStep(LstmModel model, WeightPrecision precision, int rows = 1)
    {
        _model = model;
        _rows = rows;
        LstmNetwork network = model.InferenceNetwork;
        _weights = precision == WeightPrecision.Float32 && !PackedNetworkWeights.HasCombinedGates(network)
            ? PackedNetworkWeights.Unpacked(network) // nothing to gain from a float32 copy: read the parameters in place
            : model.PackedWeights(precision);
        int layers = network.Layers.Count, workspace = 0;
        _inputs = new float[layers][];
        _recurrent = new float[layers][];
        _inputStride = new int[layers];
        _recurrentStride = new int[layers];
        _recurrentStart = new int[layers];
        _cellOutputStride = new int[layers];
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
                _inputStride[l] = _recurrentStride[l] = packs.Gates.PaddedColumns;
                _inputs[l] = _recurrent[l] = new float[rows * _inputStride[l]];
                _recurrentStart[l] = layer.InputSize;
            }
            else
            {
                _inputStride[l] = packs.Input?.PaddedColumns ?? layer.InputSize;
                _recurrentStride[l] = packs.Recurrent?.PaddedColumns ?? layer.OutputSize;
                _inputs[l] = new float[rows * _inputStride[l]];
                _recurrent[l] = new float[rows * _recurrentStride[l]];
            }

            _cellOutputStride[l] = packs.Projection?.PaddedColumns ?? n;
            _cells[l] = new float[rows * n];
            _nextCells[l] = new float[rows * n];
            _gates[l] = new float[rows * 4 * n];
            _cellBeforeClip[l] = new float[rows * n];
            _tanhCell[l] = new float[rows * n];
            _cellOutput[l] = new float[rows * _cellOutputStride[l]];
            _projected[l] = new float[rows * layer.OutputSize];
            workspace = Math.Max(workspace, layer.WorkspaceSize(1, rows));
        }

        _topStride = _weights.Output?.PaddedColumns ?? network.Layers[^1].OutputSize;
        _topOutput = new float[rows * _topStride];
        _logits = new float[rows * network.OutputSize];
        _workspace = new float[Math.Max(workspace, network.OutputMatrix?.WorkspaceSize(rows) ?? 0)];
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
    public void Step(ReadOnlySpan<float> frame, Span<float> output) => Step(frame, output, [], 0);

    /// <summary>
    /// Consumes frame t of every row (validated by the caller): row k's n_in values at <c>k·n_in</c> of
    /// <paramref name="frames"/>, its output at <c>k·outputs</c> of <paramref name="output"/>. A row with
    /// <c>t ≥ lengths[k]</c> keeps its state (see the type's remarks).
    /// </summary>
    /// <param name="frames">R·n_in values.</param>
    /// <param name="output">R·(classes, or n_r of the top layer) values, overwritten.</param>
    /// <param name="lengths">Valid length of each row, or empty when every row is valid.</param>
    /// <param name="t">The step's index, compared with <paramref name="lengths"/>.</param>
    public void Step(ReadOnlySpan<float> frames, Span<float> output, ReadOnlySpan<int> lengths, int t)
    {
        LstmNetwork network = _model.InferenceNetwork;
        ReadOnlySpan<float> parameters = _model.Parameters, cache = _model.InferenceCache;
        int inputs = network.Options.InputSize;
        for (int k = 0; k < _rows; k++)
        {
            frames.Slice(k * inputs, inputs).CopyTo(_inputs[0].AsSpan(k * _inputStride[0]));
        }

        for (int l = 0; l < network.Layers.Count; l++)
        {
            LstmLayer layer = network.Layers[l];
            StepLayer(l, layer, network.LayerParameters(parameters, l), network.LayerCache(cache, l), lengths, t);
            if (l + 1 < network.Layers.Count)
            {
                for (int k = 0; k < _rows; k++)
                {
                    Output(l, k, layer.OutputSize).CopyTo(_inputs[l + 1].AsSpan(k * _inputStride[l + 1]));
                }
            }
        }

        int top = network.Layers.Count - 1, topSize = network.Layers[top].OutputSize, size = output.Length / _rows;
        if (network.OutputMatrix is null)
        {
            for (int k = 0; k < _rows; k++)
            {
                Output(top, k, topSize)[..size].CopyTo(output[(k * size)..]);
            }

            return;
        }

        int classes = network.OutputSize;
        ReadOnlySpan<float> bias = network.OutputBias(parameters);
        for (int k = 0; k < _rows; k++)
        {
            Output(top, k, topSize).CopyTo(_topOutput.AsSpan(k * _topStride));
            bias.CopyTo(_logits.AsSpan(k * classes));
        }

        if (_weights.Output is not null)
        {
            _weights.Output.MultiplyAddRows(_topOutput, _topStride, _logits, classes, _rows); // z = W_out r + b_out
        }
        else
        {
            network.OutputMatrix.Forward(new GateMatrixWeights(network.OutputWeights(parameters), []), _topOutput, _rows, _logits, _workspace);
        }

        for (int k = 0; k < _rows; k++)
        {
            _logits.AsSpan(k * classes, size).CopyTo(output[(k * size)..]);
        }
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

    /// <summary>Row k's r_t of layer l (valid until the layer's next step).</summary>
    private Span<float> Output(int l, int k, int size) => _recurrent[l].AsSpan((k * _recurrentStride[l]) + _recurrentStart[l], size);

    /// <summary>One layer's step for every row; each row's r_t is left in <see cref="Output"/>.</summary>
    private void StepLayer(int l, LstmLayer layer, ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, ReadOnlySpan<int> lengths, int t)
    {
        PackedLayerWeights packs = _weights.Layers[l];
        int n = layer.HiddenSize, nr = layer.OutputSize, rows = _rows;
        Span<float> gates = _gates[l];
        ReadOnlySpan<float> bias = layer.Bias(parameters);
        for (int k = 0; k < rows; k++)
        {
            bias.CopyTo(gates.Slice(k * 4 * n, 4 * n));                             // a = b
        }

        if (packs.Gates is not null)
        {
            packs.Gates.MultiplyAddRows(_inputs[l], _inputStride[l], gates, 4 * n, rows); //   + [W_x | W_r]·[x_t; r_{t−1}]
        }
        else
        {
            if (packs.Input is not null)
            {
                packs.Input.MultiplyAddRows(_inputs[l], _inputStride[l], gates, 4 * n, rows); //   + W_x x_t
            }
            else
            {
                layer.InputMatrix.Forward(layer.InputWeights(parameters, cache), _inputs[l].AsSpan(0, rows * layer.InputSize), rows, gates, _workspace);
            }

            if (packs.Recurrent is not null)
            {
                packs.Recurrent.MultiplyAddRows(_recurrent[l], _recurrentStride[l], gates, 4 * n, rows); //   + W_r r_{t−1}
            }
            else
            {
                layer.RecurrentMatrix.Forward(layer.RecurrentWeights(parameters, cache), _recurrent[l].AsSpan(0, rows * nr), rows, gates, _workspace);
            }
        }

        ReadOnlySpan<float> peepholes = layer.Peepholes(parameters);
        Span<float> cells = _cells[l], next = _nextCells[l];
        int mStride = _cellOutputStride[l];
        for (int k = 0; k < rows; k++)
        {
            Span<float> c = cells.Slice(k * n, n), cNext = next.Slice(k * n, n);
            if (Ended(lengths, k, t))
            {
                c.CopyTo(cNext);                                                     // the ended row keeps c (and r, below)
                continue;
            }

            LstmCellMath.Forward(gates.Slice(k * 4 * n, 4 * n), peepholes, c, layer.Options.CellClip, _cellBeforeClip[l].AsSpan(k * n, n), cNext,
                _tanhCell[l].AsSpan(k * n, n), _cellOutput[l].AsSpan(k * mStride, n));
        }

        (_cells[l], _nextCells[l]) = (_nextCells[l], _cells[l]);                     // c_t becomes the carried state
        if (!layer.HasProjection)
        {
            for (int k = 0; k < rows; k++)
            {
                if (!Ended(lengths, k, t))
                {
                    _cellOutput[l].AsSpan(k * mStride, n).CopyTo(Output(l, k, nr));   // r_t = m_t
                }
            }

            return;
        }

        Span<float> projected = _projected[l];
        projected.Clear();
        if (packs.Projection is not null)
        {
            packs.Projection.MultiplyAddRows(_cellOutput[l], mStride, projected, nr, rows); // r̂ = W_p m
        }
        else
        {
            layer.ProjectionMatrix!.Forward(layer.ProjectionWeights(parameters, cache), _cellOutput[l].AsSpan(0, rows * n), rows, projected, _workspace);
        }

        for (int k = 0; k < rows; k++)
        {
            if (Ended(lengths, k, t))
            {
                continue;
            }

            Span<float> row = projected.Slice(k * nr, nr);
            if (layer.Options.ProjectionClip > 0)
            {
                TensorPrimitives.Clamp(row, -layer.Options.ProjectionClip, layer.Options.ProjectionClip, Output(l, k, nr)); // r = clip(r̂)
            }
            else
            {
                row.CopyTo(Output(l, k, nr));
            }
        }
    }

    /// <summary>Whether row k's sequence ended before step t (no lengths: every row runs every step).</summary>
    private static bool Ended(ReadOnlySpan<int> lengths, int k, int t) => !lengths.IsEmpty && t >= lengths[k];
}
