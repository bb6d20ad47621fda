using System;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// Forward-only whole-sequence inference of one batch, layer by layer, with the cores sharing each step: the buffers of
/// one shape (no training tapes) and the phases that fill them.
/// </summary>
/// <remarks>
/// <para>Per layer, <c>b + W_x x_t</c> is computed for chunks of steps at once (about <see cref="ChunkRows"/> rows per GEMM),
/// then each step runs <c>a_t += W_r r_{t−1}</c> and the cell step, then the projection. All B sequences stay in every
/// product, so a GEMM keeps its full row tiles; what the cores share is the output side: each phase is cut into a fixed
/// set of pieces, by cells (the i, f, g, o rows of W_x and W_r for those cells, then their cell step, so a piece needs no
/// other piece's gates) or by rows of W_p, and <see cref="PhaseRunner"/> hands the pieces to whichever thread claims
/// them. A product through a structure (low-rank factors, FFTs) is one piece.</para>
/// <para>Determinism: the pieces depend on the sizes only (never on the thread count), each is computed by the same
/// code whichever thread runs it, and a phase reads only what earlier phases wrote; so the result is bit-identical for
/// every thread count. A GEMM cut by output rows computes each entry as the whole GEMM does (the kernels sum each entry
/// over the same depth slices in the same order wherever its tile falls), and the cell step is
/// <see cref="LstmCellMath.Forward"/>'s arithmetic, so for dense matrices with n_c a multiple of 16 (each cut at the same column
/// modulo every kernel's tile) the result equals <see cref="LstmNetwork.Forward"/> on the whole batch bit for bit (tested);
/// other sizes, and kinds that choose their path by row count, may differ from it in rounding.</para>
/// </remarks>
internal sealed class SequenceInference
{
    /// <summary>Rows aimed at per hoisted input product: enough for full-speed GEMM tiles, small enough that the pre-activations of a
    /// chunk (rows × 4n_c floats) stay in the last-level cache beside the layer's weights.</summary>
    public const int ChunkRows = 384;

    /// <summary>Fewest cells per piece (so each of W_r's four row strips still fills many tiles).</summary>
    public const int PieceCells = 128;

    /// <summary>Fewest rows of W_p per projection piece.</summary>
    public const int PieceOutputs = 64;

    /// <summary>Most pieces per phase: enough to share out over several cores and to even out a core that falls behind.</summary>
    public const int MaxPieces = 8;

    private readonly LstmNetwork _network;
    private readonly int _chunkSteps;
    private readonly float[] _inputs;
    private readonly int[] _lengths;
    private readonly float[][] _sequences;
    private readonly float[] _gates;
    private readonly float[] _cell;
    private readonly float[] _cellOutput;
    private readonly float[] _zeros;
    private readonly float[] _workspace;
    private readonly PhaseRunner _runner;

    // What the current phase's pieces run; set by the calling thread between phases (PhaseRunner publishes it).
    private float[] _parameters = [];
    private float[] _cache = [];
    private bool _hasLengths;
    private Phase _phase;
    private int _layer, _t, _chunkStart, _chunkRows, _pieces;

    private SequenceInference(LstmNetwork network, int steps, int batchSize)
    {
        _network = network;
        Steps = steps;
        BatchSize = batchSize;
        _chunkSteps = ChunkStepsFor(steps, batchSize);
        int maxCells = 0, maxOutputs = 0, workspace = 0;
        foreach (LstmLayer layer in network.Layers)
        {
            maxCells = Math.Max(maxCells, layer.HiddenSize);
            maxOutputs = Math.Max(maxOutputs, layer.OutputSize);
            foreach (int rows in new[] { _chunkSteps * batchSize, steps % _chunkSteps * batchSize, batchSize })
            {
                workspace = Math.Max(workspace, rows == 0 ? 0 : layer.InputMatrix.WorkspaceSize(rows));
            }

            workspace = Math.Max(workspace, layer.RecurrentMatrix.WorkspaceSize(batchSize));
            workspace = Math.Max(workspace, layer.ProjectionMatrix?.WorkspaceSize(batchSize) ?? 0);
        }

        if (network.OutputMatrix is not null)
        {
            workspace = Math.Max(workspace, network.OutputMatrix.WorkspaceSize(OutputRows(network, steps, batchSize)));
        }

        _inputs = new float[checked(steps * batchSize * network.Options.InputSize)];
        _lengths = new int[batchSize];
        _sequences = [new float[checked(steps * batchSize * maxOutputs)], network.Layers.Count > 1 ? new float[steps * batchSize * maxOutputs] : []];
        _gates = new float[checked(_chunkSteps * batchSize * 4 * maxCells)];
        _cell = new float[batchSize * maxCells];
        _cellOutput = new float[batchSize * maxCells];
        _zeros = new float[batchSize * maxOutputs];
        _workspace = new float[workspace];
        _runner = new PhaseRunner(RunPiece);
    }

    private enum Phase
    {
        Input,
        RecurrentAndCells,
        Recurrent,
        Cells,
        Projection,
    }

    /// <summary>T the buffers were made for.</summary>
    public int Steps { get; }

    /// <summary>B the buffers were made for.</summary>
    public int BatchSize { get; }

    /// <summary>The network the buffers were made for.</summary>
    public LstmNetwork Network => _network;

    /// <summary>Bytes of the arrays these buffers hold.</summary>
    public long BufferBytes => AllocatedBytes.Of(_inputs, _gates, _cell, _cellOutput, _zeros, _workspace) + AllocatedBytes.Of(_sequences)
        + (sizeof(int) * _lengths.LongLength);

    /// <summary>The most rows of one input-product call for <paramref name="steps"/> × <paramref name="batchSize"/> (what decides
    /// whether a Toeplitz-like dense form may pay).</summary>
    public static int InputRows(int steps, int batchSize) => ChunkStepsFor(steps, batchSize) * batchSize;

    /// <summary>Buffers for <paramref name="steps"/> × <paramref name="batchSize"/>; reusable for calls of that shape.</summary>
    public static SequenceInference Create(LstmNetwork network, int steps, int batchSize) => new(network, steps, batchSize);

    /// <summary>
    /// Runs the batch: <paramref name="outputs"/> gets the logits [T, B, classes] (or [B, classes] in last-frame mode), or the
    /// top layer's r_t [T, B, n_r] without an output layer. Sizes are the caller's to validate.
    /// </summary>
    public void Run(float[] parameters, float[] cache, ReadOnlySpan<float> inputs, ReadOnlySpan<int> lengths, Span<float> outputs, int threads)
    {
        inputs.CopyTo(_inputs); // the pieces run on other threads too, so they read arrays, not the caller's spans
        lengths.CopyTo(_lengths);
        _hasLengths = !lengths.IsEmpty;
        _parameters = parameters;
        _cache = cache;
        _runner.Begin(threads);
        try
        {
            for (int l = 0; l < _network.Layers.Count; l++)
            {
                RunLayer(l);
            }
        }
        finally
        {
            _runner.End();
        }

        WriteOutputs(outputs);
    }

    private static int ChunkStepsFor(int steps, int batchSize)
    {
        // Chunks of about ChunkRows rows, evened out so that the last is not a sliver with a GEMM path of its own.
        int target = Math.Clamp(ChunkRows / batchSize, 1, steps);
        int chunks = (steps + target - 1) / target;
        return (steps + chunks - 1) / chunks;
    }

    private static int OutputRows(LstmNetwork network, int steps, int batchSize)
        => network.Options.OutputMode == OutputMode.LastFrame ? batchSize : steps * batchSize;

    /// <summary>Pieces a range of <paramref name="size"/> entries is cut into, each at least <paramref name="fewest"/> wide.</summary>
    private static int PiecesFor(int size, int fewest) => Math.Clamp(size / fewest, 1, MaxPieces);

    /// <summary>The start of piece <paramref name="piece"/> of <paramref name="pieces"/> over <paramref name="size"/> entries, aligned
    /// so each cell keeps the vector lanes of a whole-row pass; the last piece ends at <paramref name="size"/>.</summary>
    private static int PieceStart(int piece, int pieces, int size)
        => piece == pieces ? size : (int)((long)piece * size / pieces) / LstmCellInference.RangeAlignment * LstmCellInference.RangeAlignment;

    private void RunLayer(int l)
    {
        LstmLayer layer = _network.Layers[l];
        int batch = BatchSize, cellPieces = PiecesFor(layer.HiddenSize, PieceCells);
        ReadOnlySpan<float> parameters = _network.LayerParameters(_parameters, l), cache = _network.LayerCache(_cache, l);
        bool cutRecurrent = cellPieces == 1 || layer.CanCutRecurrent(parameters, cache, batch);
        int projectionPieces = layer.CanCutProjection(parameters, cache, batch) ? PiecesFor(layer.OutputSize, PieceOutputs) : 1;
        _cell.AsSpan(0, batch * layer.HiddenSize).Clear(); // c_{−1} = 0
        _layer = l;
        for (_chunkStart = 0; _chunkStart < Steps; _chunkStart += _chunkSteps)
        {
            _chunkRows = Math.Min(_chunkSteps, Steps - _chunkStart) * batch;
            RunPhase(Phase.Input, layer.CanCutInput(parameters, cache, _chunkRows) ? cellPieces : 1);
            for (_t = _chunkStart; _t < _chunkStart + (_chunkRows / batch); _t++)
            {
                if (cutRecurrent)
                {
                    RunPhase(Phase.RecurrentAndCells, cellPieces);
                }
                else
                {
                    RunPhase(Phase.Recurrent, 1);
                    RunPhase(Phase.Cells, cellPieces);
                }

                if (layer.HasProjection)
                {
                    RunPhase(Phase.Projection, projectionPieces);
                }
            }
        }
    }

    private void RunPhase(Phase phase, int pieces)
    {
        _phase = phase;
        _pieces = pieces;
        _runner.Run(pieces);
    }

    /// <summary>One piece of the current phase (on any thread).</summary>
    private void RunPiece(int piece)
    {
        LstmLayer layer = _network.Layers[_layer];
        ReadOnlySpan<float> parameters = _network.LayerParameters(_parameters, _layer), cache = _network.LayerCache(_cache, _layer);
        int batch = BatchSize, n = layer.HiddenSize, r = layer.OutputSize, gateWidth = 4 * n;
        int start = PieceStart(piece, _pieces, _phase == Phase.Projection ? r : n);
        int end = PieceStart(piece + 1, _pieces, _phase == Phase.Projection ? r : n);
        if (_phase == Phase.Input)
        {
            ReadOnlySpan<float> x = _layer == 0 ? _inputs : _sequences[(_layer - 1) & 1];
            layer.InferInput(parameters, cache, x.Slice(_chunkStart * batch * layer.InputSize, _chunkRows * layer.InputSize), _chunkRows,
                _gates.AsSpan(0, _chunkRows * gateWidth), start, end, _workspace);
            return;
        }

        float[] sequence = _sequences[_layer & 1];
        ReadOnlySpan<float> previousOutput = _t == 0 ? _zeros.AsSpan(0, batch * r) : sequence.AsSpan((_t - 1) * batch * r, batch * r); // r_{t−1}, r_{−1} = 0
        Span<float> output = sequence.AsSpan(_t * batch * r, batch * r);
        Span<float> gates = _gates.AsSpan((_t - _chunkStart) * batch * gateWidth, batch * gateWidth);
        Span<float> cellOutput = layer.HasProjection ? _cellOutput.AsSpan(0, batch * n) : output;
        ReadOnlySpan<int> lengths = _hasLengths ? _lengths : [];
        switch (_phase)
        {
            case Phase.Recurrent:
                layer.InferRecurrent(parameters, cache, previousOutput, batch, gates, 0, n, _workspace);
                break;
            case Phase.RecurrentAndCells:
                layer.InferRecurrent(parameters, cache, previousOutput, batch, gates, start, end, _workspace);
                layer.InferCells(parameters, gates, _cell.AsSpan(0, batch * n), cellOutput, previousOutput, lengths, _t, start, end);
                break;
            case Phase.Cells:
                layer.InferCells(parameters, gates, _cell.AsSpan(0, batch * n), cellOutput, previousOutput, lengths, _t, start, end);
                break;
            default:
                layer.InferProjection(parameters, cache, cellOutput, previousOutput, output, lengths, _t, start, end, _workspace);
                break;
        }
    }

    /// <summary>The output layer over the top layer's r_t (as <see cref="LstmNetwork.Forward"/> computes it), or r_t itself.</summary>
    private void WriteOutputs(Span<float> outputs)
    {
        int batch = BatchSize, r = _network.Layers[^1].OutputSize;
        ReadOnlySpan<float> top = _sequences[(_network.Layers.Count - 1) & 1].AsSpan(0, Steps * batch * r);
        if (_network.OutputMatrix is null)
        {
            top.CopyTo(outputs);
            return;
        }

        int rows = OutputRows(_network, Steps, batch), classes = _network.OutputSize;
        ReadOnlySpan<float> x = rows == batch && _network.Options.OutputMode == OutputMode.LastFrame ? top[((Steps - 1) * batch * r)..] : top;
        ReadOnlySpan<float> bias = _network.OutputBias(_parameters);
        for (int row = 0; row < rows; row++)
        {
            bias.CopyTo(outputs.Slice(row * classes, classes));
        }

        _network.OutputMatrix.Forward(new GateMatrixWeights(_network.OutputWeights(_parameters), []), x, rows, outputs, _workspace);
    }
}
