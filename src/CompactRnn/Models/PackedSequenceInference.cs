using System;
using System.Threading;
using CompactRnn.Kernels;

namespace CompactRnn.Models;

/// <summary>
/// Whole-sequence inference with the weights stored at bf16 or int8 (<see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, WeightPrecision, int)"/>):
/// the batch is cut into blocks of <see cref="BlockRows"/> sequences, and each block runs step by step through the
/// streaming step of the model's packs (<see cref="PackedStreamingStep"/> with R = 4). For int8 each weight read from memory
/// serves the four sequences (<see cref="Int8Gemv.MultiplyAddFour"/>); bf16 runs the four rows one after another on the same pack.
/// </summary>
/// <remarks>
/// <para>Blocks are independent and each row's result is the one-row step's (the packs treat rows independently), so every
/// row equals a <see cref="StreamingSession"/> of the same precision run over that sequence, bit for bit where the
/// network's compact matrices (if any) also treat rows independently, and the result is the same for every thread
/// count: blocks depend on the batch size only, and threads only decide who runs which block (<see cref="PhaseRunner"/>:
/// the blocks are the pieces of one phase). A last block with fewer than four sequences is filled with zero rows whose
/// results are dropped.</para>
/// <para>The object keeps what a call needs (copies of the inputs and outputs, and one block state per thread that ran:
/// the step's carried state and scratch) for the next call, as <see cref="SequenceInference"/> does for float32, so a
/// repeated call of the same shape allocates nothing.</para>
/// </remarks>
internal sealed class PackedSequenceInference
{
    /// <summary>Sequences per block: the rows the int8 kernel multiplies per weight load.</summary>
    public const int BlockRows = 4;

    private const int MaxThreads = 64;

    private readonly LstmModel _model;
    private readonly PhaseRunner _runner;
    private readonly BlockState?[] _spareStates = new BlockState?[MaxThreads];
    private float[] _inputs = [];
    private float[] _outputs = [];
    private int[] _lengths = [];
    private int _steps, _batchSize, _rows;
    private bool _everyStep, _hasLengths;

    /// <summary>Buffers for batch inference of <paramref name="model"/> at <paramref name="precision"/> (bf16 or int8).</summary>
    public PackedSequenceInference(LstmModel model, WeightPrecision precision)
    {
        _model = model;
        Precision = precision;
        _runner = new PhaseRunner(RunBlock);
    }

    /// <summary>The weight storage this object runs.</summary>
    public WeightPrecision Precision { get; }

    /// <summary>Bytes of the buffers kept for the next call: the input and output copies and the spare block states.</summary>
    public long BufferBytes
    {
        get
        {
            long bytes = AllocatedBytes.Of(_inputs, _outputs);
            foreach (BlockState? state in _spareStates)
            {
                bytes += state?.Bytes ?? 0;
            }

            return bytes;
        }
    }

    /// <summary>Runs the validated call (see <see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, WeightPrecision, int)"/>).</summary>
    public void Run(ReadOnlySpan<float> inputs, int steps, int batchSize, ReadOnlySpan<int> lengths, Span<float> outputs, bool everyStep, int threads)
    {
        _ = _model.PackedWeights(Precision); // pack once, before the blocks share the packs
        int rows = Math.Min(BlockRows, batchSize), blocks = (batchSize + rows - 1) / rows;
        if (rows != _rows)
        {
            Array.Clear(_spareStates); // states hold R rows
            _rows = rows;
        }

        _inputs = Fit(_inputs, inputs.Length);
        _outputs = Fit(_outputs, outputs.Length);
        inputs.CopyTo(_inputs);
        _hasLengths = !lengths.IsEmpty;
        if (_hasLengths)
        {
            _lengths = Fit(_lengths, batchSize);
            lengths.CopyTo(_lengths);
        }

        (_steps, _batchSize, _everyStep) = (steps, batchSize, everyStep);
        _runner.Begin(Math.Min(threads, blocks)); // one thread: no helpers, the caller runs every block
        try
        {
            _runner.Run(blocks);
        }
        finally
        {
            _runner.End();
        }

        _outputs.AsSpan(0, outputs.Length).CopyTo(outputs);
    }

    /// <summary>An array of at least <paramref name="length"/> elements: <paramref name="array"/> when it is long enough.</summary>
    private static T[] Fit<T>(T[] array, int length) => array.Length >= length ? array : new T[length];

    /// <summary>Runs sequences <c>block·R …</c> from the zero state through every step ([T, B, n_in] inputs; [T, B, n_out] or [B, n_out] outputs).</summary>
    private void RunBlock(int block)
    {
        BlockState state = TakeState() ?? new BlockState(_model, Precision, _rows);
        try
        {
            int rows = _rows, first = block * rows, count = Math.Min(rows, _batchSize - first);
            int inputSize = _model.Network.Options.InputSize, outputSize = _model.Network.OutputSize;
            for (int k = 0; k < rows; k++)
            {
                state.Lengths[k] = k >= count ? 0 : _hasLengths ? _lengths[first + k] : _steps; // filler rows keep their zero state
            }

            state.Step.Reset();
            for (int t = 0; t < _steps; t++)
            {
                _inputs.AsSpan(((t * _batchSize) + first) * inputSize, count * inputSize).CopyTo(state.Frames);
                state.Step.Step(state.Frames, state.Results, state.Lengths, t);
                if (_everyStep)
                {
                    state.Results.AsSpan(0, count * outputSize).CopyTo(_outputs.AsSpan(((t * _batchSize) + first) * outputSize));
                }
            }

            if (!_everyStep)
            {
                state.Results.AsSpan(0, count * outputSize).CopyTo(_outputs.AsSpan(first * outputSize)); // the carried state's output is the last valid frame's
            }
        }
        finally
        {
            ReturnState(state);
        }
    }

    private BlockState? TakeState()
    {
        for (int i = 0; i < _spareStates.Length; i++)
        {
            if (Volatile.Read(ref _spareStates[i]) is { } state && Interlocked.CompareExchange(ref _spareStates[i], null, state) == state)
            {
                return state;
            }
        }

        return null;
    }

    private void ReturnState(BlockState state)
    {
        for (int i = 0; i < _spareStates.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _spareStates[i], state, null) is null)
            {
                return;
            }
        }
    }

    /// <summary>What one thread needs to run a block: the R-row step (carried state and scratch) and one step's frames and results.</summary>
    private sealed class BlockState(LstmModel model, WeightPrecision precision, int rows)
    {
        public PackedStreamingStep Step { get; } = new(model, precision, rows);

        public float[] Frames { get; } = new float[rows * model.Network.Options.InputSize];

        public float[] Results { get; } = new float[rows * model.Network.OutputSize];

        public int[] Lengths { get; } = new int[rows];

        public long Bytes => Step.BufferBytes + AllocatedBytes.Of(Frames, Results) + (sizeof(int) * (long)Lengths.Length);
    }
}
