using System;
using System.Threading.Tasks;

namespace CompactRnn.Models;

/// <summary>
/// Whole-sequence inference of a batch in fixed blocks of sequences, each block a <see cref="LstmNetwork.Forward"/>
/// of its own, the blocks shared out over threads. The blocks depend only on the batch size, never on the thread
/// count, and each block runs the same code whichever thread takes it, so the result is bit-identical for every
/// thread count.
/// </summary>
internal sealed class BlockedInference
{
    /// <summary>The most sequences in one block: beyond this a GEMM gains little from more rows.</summary>
    public const int MaxBlockRows = 64;

    private readonly LstmNetwork _network;
    private readonly LstmNetworkTape[] _tapes;
    private readonly float[][] _blockInputs;
    private readonly int[][] _blockLengths;

    private BlockedInference(LstmNetwork network, int steps, int batchSize)
    {
        _network = network;
        Steps = steps;
        BatchSize = batchSize;
        BlockRows = BlockRowsFor(batchSize);
        int blocks = (batchSize + BlockRows - 1) / BlockRows;
        _tapes = new LstmNetworkTape[blocks];
        _blockInputs = new float[blocks][];
        _blockLengths = new int[blocks][];
        for (int k = 0; k < blocks; k++)
        {
            int rows = Rows(k);
            _tapes[k] = network.CreateTape(steps, rows);
            _blockInputs[k] = new float[checked(steps * rows * network.Options.InputSize)];
            _blockLengths[k] = new int[rows];
        }
    }

    /// <summary>Bytes of the block tapes and block inputs these buffers hold.</summary>
    public long BufferBytes
    {
        get
        {
            long bytes = AllocatedBytes.Of(_blockInputs);
            foreach (LstmNetworkTape tape in _tapes)
            {
                bytes += tape.AllocatedBytes;
            }

            foreach (int[] lengths in _blockLengths)
            {
                bytes += sizeof(int) * lengths.LongLength;
            }

            return bytes;
        }
    }

    /// <summary>T the buffers were made for.</summary>
    public int Steps { get; }

    /// <summary>The network the tapes were made for.</summary>
    public LstmNetwork Network => _network;

    /// <summary>B the buffers were made for.</summary>
    public int BatchSize { get; }

    /// <summary>Sequences per block (the last block may hold fewer).</summary>
    public int BlockRows { get; }

    /// <summary>
    /// Sequences per block for a batch of <paramref name="batchSize"/>: half the batch (rounded up, so two blocks run
    /// on two cores), at most <see cref="MaxBlockRows"/>.
    /// </summary>
    public static int BlockRowsFor(int batchSize) => Math.Clamp((batchSize + 1) / 2, 1, MaxBlockRows);

    /// <summary>Buffers for <paramref name="steps"/> × <paramref name="batchSize"/>; reusable for calls of that shape.</summary>
    public static BlockedInference Create(LstmNetwork network, int steps, int batchSize) => new(network, steps, batchSize);

    /// <summary>
    /// Runs the batch: <paramref name="outputs"/> gets the logits [T, B, classes] (or [B, classes] in last-frame mode),
    /// or the top layer's r_t [T, B, n_r] without an output layer. The calling thread gathers each block's inputs,
    /// the blocks run on up to <paramref name="threads"/> threads, and the calling thread scatters the results.
    /// Sizes are the caller's to validate.
    /// </summary>
    public void Run(float[] parameters, float[] cache, ReadOnlySpan<float> inputs, ReadOnlySpan<int> lengths, Span<float> outputs, int threads)
    {
        int blocks = _tapes.Length;
        for (int k = 0; k < blocks; k++)
        {
            Gather(inputs, lengths, k);
        }

        bool hasLengths = !lengths.IsEmpty;
        if (threads <= 1 || blocks == 1)
        {
            for (int k = 0; k < blocks; k++)
            {
                RunBlock(parameters, cache, hasLengths, k);
            }
        }
        else
        {
            // Block k goes to worker k mod workers: a static schedule, though any schedule gives the same bits.
            int workers = Math.Min(threads, blocks);
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
            {
                for (int k = worker; k < blocks; k += workers)
                {
                    RunBlock(parameters, cache, hasLengths, k);
                }
            });
        }

        for (int k = 0; k < blocks; k++)
        {
            Scatter(outputs, k);
        }
    }

    private int Rows(int block) => Math.Min(BlockRows, BatchSize - (block * BlockRows));

    private void Gather(ReadOnlySpan<float> inputs, ReadOnlySpan<int> lengths, int block)
    {
        int first = block * BlockRows, rows = Rows(block), inputSize = _network.Options.InputSize;
        for (int t = 0; t < Steps; t++)
        {
            inputs.Slice(((t * BatchSize) + first) * inputSize, rows * inputSize).CopyTo(_blockInputs[block].AsSpan(t * rows * inputSize));
        }

        if (!lengths.IsEmpty)
        {
            lengths.Slice(first, rows).CopyTo(_blockLengths[block]);
        }
    }

    private void RunBlock(float[] parameters, float[] cache, bool hasLengths, int block)
    {
        LstmNetworkTape tape = _tapes[block];
        tape.ResetState();
        _network.Forward(parameters, cache, _blockInputs[block], Steps, hasLengths ? _blockLengths[block] : [], tape, training: false);
    }

    private void Scatter(Span<float> outputs, int block)
    {
        int first = block * BlockRows, rows = Rows(block), width = _network.OutputSize;
        LstmNetworkTape tape = _tapes[block];
        ReadOnlySpan<float> result = _network.OutputMatrix is null ? tape.Layers[^1].Outputs(Steps) : tape.Logits;
        if (_network.OutputMatrix is not null && _network.Options.OutputMode != OutputMode.Frame)
        {
            result[..(rows * width)].CopyTo(outputs[(first * width)..]);
            return;
        }

        for (int t = 0; t < Steps; t++)
        {
            result.Slice(t * rows * width, rows * width).CopyTo(outputs[(((t * BatchSize) + first) * width)..]);
        }
    }
}
