using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Kernels;
using CompactRnn.Parameters;

namespace CompactRnn.GateMatrices;

/// <summary>
/// An m×n matrix tiled with square Toeplitz-like blocks of side s = min(m, n) (docs/math.md §10 option 2):
/// tall (m ≥ n) as ⌈m/n⌉ blocks of n×n stacked vertically, wide (m &lt; n) as ⌈n/m⌉ blocks of m×m side by side
/// with their outputs summed; a last partial block is the top-left corner of an s×s block (its input or
/// output zero-padded). Each block is a <see cref="ToeplitzLikeGateMatrix"/> in the ½·J form with its own
/// displacement rank r generators.
/// </summary>
/// <remarks>
/// <para><b>Trade-off against the square embedding</b> (<see cref="ToeplitzLikeGateMatrix"/>, N = max(m, n)):
/// for a 4n_c×n_c gate stack the blocks are one Toeplitz-like matrix per gate (scheme D of docs/math.md §5), with
/// 2·s·r parameters per block, i.e. 4× the parameters of one 4n_c embedding (2·4n_c·r) for the same r, and
/// FFTs of length s instead of 4s: per vector about ⌈m/s⌉·(r + 2) transforms of length s against r + 2 of
/// length 4s, so similar cost, more capacity, and no coupling across gates through a shared circulant.
/// The embedding is exact, has the fewest parameters and one FFT size; prefer it when compression matters most.</para>
/// <para><b>Parameters</b>: per block b (row-major over the tiling), <c>"block{b}.G"</c> then <c>"block{b}.H"</c>,
/// each [r, s]; count 2·s·r·(number of blocks). <b>Cache</b>: the blocks' caches in the same order.</para>
/// <para><b>Dense form (large batches)</b>: the cache also holds the whole m×n W, written block by block by
/// <see cref="GateMatrix.Prepare"/>; from <see cref="DenseFormGateMatrix.DenseBatchThreshold"/> rows per call on, products are one GEMM over
/// all blocks and the dense gradient is projected onto each block's generators (see <see cref="ToeplitzLikeGateMatrix"/>).</para>
/// <para><b>Initialisation</b>: every block draws G, H from N(0, σ²), σ² = √(4v/(r·s)), v = 1/(3n), so each
/// dense-equivalent entry has variance v as for the other kinds; or, <see cref="GateMatrixInit.RankScaled"/>, σ² = 1/(r·s).</para>
/// </remarks>
public sealed class StackedToeplitzLikeGateMatrix : DenseFormGateMatrix
{
    private readonly ToeplitzLikeGateMatrix[] _tiles;
    private readonly int[] _parameterOffsets;
    private readonly int[] _cacheOffsets;
    private readonly ParameterBlock[] _blocks;
    private readonly int _denseOffset;

    /// <summary>Creates an m×n matrix of square Toeplitz-like blocks of side min(m, n).</summary>
    /// <param name="outputSize">m, at least 1.</param>
    /// <param name="inputSize">n, at least 1.</param>
    /// <param name="displacementRank">r of every block, from 1 to min(m, n).</param>
    public StackedToeplitzLikeGateMatrix(int outputSize, int inputSize, int displacementRank)
        : this(outputSize, inputSize, displacementRank, denseForm: true)
    {
    }

    /// <summary>Creates the matrix, with or without the cached dense form (without it, every call runs the blocks' FFTs).</summary>
    internal StackedToeplitzLikeGateMatrix(int outputSize, int inputSize, int displacementRank, bool denseForm)
        : this(outputSize, inputSize, displacementRank, denseForm, GateMatrixInit.VariancePreserving)
    {
    }

    /// <summary>Creates an m×n stacked Toeplitz-like matrix whose generators are drawn by <paramref name="init"/> (docs/math.md §9).</summary>
    /// <param name="outputSize">m, at least 1.</param>
    /// <param name="inputSize">n, at least 1.</param>
    /// <param name="displacementRank">r of every block, from 1 to min(m, n).</param>
    /// <param name="init"><see cref="GateMatrixInit.RankScaled"/> draws every block's G, H from N(0, 1/(r·s)); any other scheme is variance-preserving.</param>
    public StackedToeplitzLikeGateMatrix(int outputSize, int inputSize, int displacementRank, GateMatrixInit init)
        : this(outputSize, inputSize, displacementRank, denseForm: true, init)
    {
    }

    /// <summary>Creates the matrix with or without the cached dense form, its generators drawn by <paramref name="init"/>.</summary>
    internal StackedToeplitzLikeGateMatrix(int outputSize, int inputSize, int displacementRank, bool denseForm, GateMatrixInit init)
        : base(outputSize, inputSize, denseForm)
    {
        Init = init == GateMatrixInit.RankScaled ? init : GateMatrixInit.VariancePreserving;
        int side = Math.Min(outputSize, inputSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(displacementRank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(displacementRank, side);
        DisplacementRank = displacementRank;
        BlockSize = side;
        IsTall = outputSize >= inputSize;
        int extent = IsTall ? outputSize : inputSize;
        int count = (extent + side - 1) / side;
        _tiles = new ToeplitzLikeGateMatrix[count];
        _parameterOffsets = new int[count];
        _cacheOffsets = new int[count];
        var blocks = new List<ParameterBlock>();
        int parameterOffset = 0, cacheOffset = 0;
        float stepScale = StepScale.ToeplitzLike(side, displacementRank, ToeplitzLikeGateMatrix.InitialGeneratorVariance(side, displacementRank, inputSize, Init));
        for (int b = 0; b < count; b++)
        {
            int part = Math.Min(side, extent - (b * side));
            _tiles[b] = IsTall
                ? new ToeplitzLikeGateMatrix(part, side, displacementRank, denseForm: false)
                : new ToeplitzLikeGateMatrix(side, part, displacementRank, denseForm: false);
            _parameterOffsets[b] = parameterOffset;
            _cacheOffsets[b] = cacheOffset;
            foreach (ParameterBlock block in _tiles[b].ParameterBlocks)
            {
                blocks.Add(block.Shift(parameterOffset, $"block{b}.") with { LearningRateScale = stepScale });
            }

            parameterOffset += _tiles[b].ParameterCount;
            cacheOffset += _tiles[b].CacheSize;
        }

        _blocks = [.. blocks];
        ParameterCount = parameterOffset;
        _denseOffset = cacheOffset;
        DenseBatchThreshold = ToeplitzLikePathChoice.DenseBatchThreshold(outputSize, inputSize, side, displacementRank, count);
        CompleteBackwardBatchThreshold = ToeplitzLikePathChoice.CompleteBackwardBatchThreshold(outputSize, inputSize, side, displacementRank, count);
        CacheSize = denseForm ? checked(cacheOffset + (outputSize * inputSize) + _tiles[0].WriteScratchLength) : cacheOffset;
    }

    /// <summary>r of every block.</summary>
    public int DisplacementRank { get; }

    /// <summary>How <see cref="GateMatrix.Initialize"/> draws the generators (and so the step-size multiplier of docs/math.md §13):
    /// <see cref="GateMatrixInit.VariancePreserving"/> or <see cref="GateMatrixInit.RankScaled"/>.</summary>
    public GateMatrixInit Init { get; }

    /// <summary>s = min(m, n), the side of each square block.</summary>
    public int BlockSize { get; }

    /// <summary>The number of blocks, ⌈max(m, n)/s⌉.</summary>
    public int BlockCount => _tiles.Length;

    /// <summary>True when blocks are stacked vertically (m ≥ n), false when side by side.</summary>
    public bool IsTall { get; }

    /// <inheritdoc />
    public override string Kind => "toeplitz-stacked";

    /// <inheritdoc />
    internal override long TableBytes
    {
        get
        {
            long bytes = 0;
            foreach (ToeplitzLikeGateMatrix tile in _tiles)
            {
                bytes += tile.TableBytes;
            }

            return bytes;
        }
    }

    /// <inheritdoc />
    internal override IEnumerable<FftPlan> Plans => _tiles.SelectMany(tile => tile.Plans);

    /// <inheritdoc />
    private protected override (char Key, int Value)? SizeParameter => ('r', DisplacementRank);

    /// <inheritdoc />
    public override int ParameterCount { get; }

    /// <inheritdoc />
    public override IReadOnlyList<ParameterBlock> ParameterBlocks => _blocks;

    /// <inheritdoc />
    /// <remarks>The blocks' caches (spectra), then the dense form W (m·n floats, row-major) and the scratch for writing it.</remarks>
    public override int CacheSize { get; }

    /// <inheritdoc />
    /// <remarks>After the blocks' caches.</remarks>
    private protected override int DenseFormOffset => _denseOffset;

    /// <inheritdoc />
    /// <remarks>One block's: the blocks are projected one after another, all of side s.</remarks>
    internal override int ProjectScratchLength => _tiles[0].ProjectScratchLength;

    /// <inheritdoc />
    /// <remarks>Blocks run one after another, all with FFT length s, so one block's workspace suffices.</remarks>
    private protected override int StructuredWorkspaceSize(int batchSize) => _tiles[0].WorkspaceSize(batchSize);

    /// <inheritdoc />
    protected override void PrepareCore(ReadOnlySpan<float> parameters, Span<float> cache)
    {
        for (int b = 0; b < _tiles.Length; b++)
        {
            _tiles[b].Prepare(TileParameters(parameters, b), cache.Slice(_cacheOffsets[b], _tiles[b].CacheSize));
        }

        if (!HasDenseForm)
        {
            return;
        }

        Span<float> dense = cache.Slice(_denseOffset, DenseLength);
        Span<float> scratch = cache[(_denseOffset + DenseLength)..];
        for (int b = 0; b < _tiles.Length; b++)
        {
            (int column, int row) = Offsets(b);
            _tiles[b].WriteDense(TileParameters(parameters, b), cache.Slice(_cacheOffsets[b], _tiles[b].CacheSize), dense[((row * InputSize) + column)..], InputSize, scratch);
        }
    }

    /// <inheritdoc />
    private protected override void StructuredForward(GateMatrixWeights weights, ReadOnlySpan<float> input, int batchSize, Span<float> output, Span<float> workspace)
    {
        for (int b = 0; b < _tiles.Length; b++)
        {
            (int inputOffset, int outputOffset) = Offsets(b);
            _tiles[b].ForwardStrided(TileWeights(weights, b), input[inputOffset..], InputSize, batchSize, output[outputOffset..], OutputSize, workspace);
        }
    }

    /// <inheritdoc />
    private protected override void StructuredBackward(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace)
    {
        for (int b = 0; b < _tiles.Length; b++)
        {
            (int inputOffset, int outputOffset) = Offsets(b);
            Span<float> tileGradient = dParameters.Slice(_parameterOffsets[b], _tiles[b].ParameterCount);
            Span<float> tileInputGradient = dInput.IsEmpty ? dInput : dInput[inputOffset..];
            _tiles[b].BackwardStrided(TileWeights(weights, b), input[inputOffset..], InputSize, dOutput[outputOffset..], OutputSize, batchSize,
                tileGradient, tileInputGradient, workspace);
        }
    }

    /// <inheritdoc />
    /// <remarks>Block by block, each block's generators from its part of ∂L/∂W.</remarks>
    private protected override void ProjectDenseGradient(GateMatrixWeights weights, ReadOnlySpan<float> dDense, Span<float> dParameters, Span<float> scratch)
    {
        for (int b = 0; b < _tiles.Length; b++)
        {
            (int column, int row) = Offsets(b);
            _tiles[b].ProjectDense(TileParameters(weights.Parameters, b), TileWeights(weights, b).Cache, dDense[((row * InputSize) + column)..], InputSize,
                dParameters.Slice(_parameterOffsets[b], _tiles[b].ParameterCount), scratch);
        }
    }

    /// <inheritdoc />
    protected override void ToDenseCore(ReadOnlySpan<float> parameters, Span<float> dense)
    {
        dense.Clear();
        for (int b = 0; b < _tiles.Length; b++)
        {
            ToeplitzLikeGateMatrix tile = _tiles[b];
            float[] block = new float[tile.OutputSize * tile.InputSize];
            tile.ToDense(TileParameters(parameters, b), block);
            (int column, int row) = Offsets(b);
            for (int i = 0; i < tile.OutputSize; i++)
            {
                block.AsSpan(i * tile.InputSize, tile.InputSize).CopyTo(dense.Slice(((row + i) * InputSize) + column, tile.InputSize));
            }
        }
    }

    /// <inheritdoc />
    protected override void InitializeCore(Span<float> parameters, Random random)
    {
        // Var(M_ik) = r·s·σ⁴/4 = v with v the target of the whole m×n matrix (the blocks' own n may be smaller).
        double sigma = Math.Sqrt(ToeplitzLikeGateMatrix.InitialGeneratorVariance(BlockSize, DisplacementRank, InputSize, Init));
        Initializers.FillNormal(parameters, sigma, random);
    }

    /// <summary>(first input column, first output row) of block b.</summary>
    private (int Input, int Output) Offsets(int block) => IsTall ? (0, block * BlockSize) : (block * BlockSize, 0);

    private ReadOnlySpan<float> TileParameters(ReadOnlySpan<float> parameters, int block) => parameters.Slice(_parameterOffsets[block], _tiles[block].ParameterCount);

    private GateMatrixWeights TileWeights(GateMatrixWeights weights, int block)
        => new(TileParameters(weights.Parameters, block), weights.Cache.Slice(_cacheOffsets[block], _tiles[block].CacheSize));
}
