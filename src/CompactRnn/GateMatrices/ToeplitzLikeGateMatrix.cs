using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Threading;
using CompactRnn.Kernels;
using CompactRnn.Parameters;

namespace CompactRnn.GateMatrices;

/// <summary>
/// A Toeplitz-like matrix of displacement rank r (docs/math.md §6–§10), in the ½·J convention
/// <c>M = ½ Σ_{j&lt;r} Z_1(g_j)·Z_{−1}(J h_j)</c>, where <c>Z_f(v)</c> is the f-circulant with first column v
/// (entry (i, k) is <c>v_{i−k}</c> for i ≥ k and <c>f·v_{N+i−k}</c> for i &lt; k), J reverses a vector and
/// <c>g_j, h_j ∈ R^N</c> are the columns of the generators G, H (N×r). Then
/// <c>Z_1 M − M Z_{−1} = G Hᵀ</c> exactly. (1510.01722 Thm 3.3 writes <c>Σ Z_1(g) Z_{−1}(h)</c> without ½ and J:
/// the same class with <c>H′ = ½ J H</c>; never mix the two.)
/// </summary>
/// <remarks>
/// <para><b>Rectangular shapes</b> use the square embedding N = max(m, n) (docs/math.md §10 option 1): the input is
/// zero-padded to N and the first m outputs are kept; backward pads δ to N and keeps the first n entries of
/// Mᵀδ. Exact, 2·N·r parameters, FFT length N. The alternative, stacked square blocks (docs/math.md §10 option 2,
/// <see cref="StackedToeplitzLikeGateMatrix"/>), costs 2·s·r per s×s block: for a 4n_c×n_c gate stack, four
/// times the parameters of this embedding for the same r, with FFTs four times shorter and one independent
/// block per gate.</para>
/// <para><b>Parameters</b>: block <c>"G"</c> then block <c>"H"</c>, each stored [r, N] row-major, i.e. row j is the
/// generator column g_j (resp. h_j), contiguous. Count 2·N·r.</para>
/// <para><b>Cache</b> (<see cref="GateMatrix.Prepare"/>, once per weight update): generators are taken in pairs
/// (a, b) = (2p, 2p+1), the last one alone when r is odd, and stored as two complex spectra per pair,
/// split re/im: <c>Ĝ_p = FFT(g_a − i·g_b)</c> and <c>Ĥ_p = FFT(η ⊙ (J h_a + i·J h_b))</c>, with
/// η_k = exp(iπk/N). Packing two real generators into one complex FFT halves the FFT count:
/// because the factors are real, <c>Re IFFT(Ĝ_p ⊙ FFT(u_a + i·u_b)) = Z_1(g_a) u_a + Z_1(g_b) u_b</c>.
/// The cache also holds the FFT scratch Prepare needs, so Prepare does not allocate.</para>
/// <para><b>Forward</b> (docs/math.md §7), per vector: <c>X̂ = FFT(η ⊙ x)</c>; per pair
/// <c>u_a + i·u_b = conj(η) ⊙ IFFT(Ĥ_p ⊙ X̂)</c>, <c>acc += Ĝ_p ⊙ FFT(u_a + i·u_b)</c>; <c>y += ½ Re IFFT(acc)</c>.
/// r + 2 complex FFTs of length N per vector (r even), O(r·N log N).</para>
/// <para><b>Backward</b> (docs/math.md §8), with δ = ∂L/∂y, <c>z_j = Z_1(g_j)ᵀ δ</c>, <c>u_j = Z_{−1}(J h_j) x</c>:
/// <c>∂g_j = ½ Z_1(u_j)ᵀ δ</c>, <c>∂h_j = ½ J Z_{−1}(x)ᵀ z_j</c>, <c>∂x = ½ Σ_j Z_{−1}(J h_j)ᵀ z_j</c>,
/// evaluated in pairs through the Fourier forms of the transposes; the parameter gradients are summed
/// over the batch in the frequency domain, so their inverse transforms run once per call.
/// 2r + 3 FFTs per vector plus r per call.</para>
/// <para><b>Precision</b>: float FFTs with twiddles rounded once from double. Measured against the double
/// product with <see cref="GateMatrix.ToDense"/> for N ∈ {64, 257, 1000, 1024, 2048}, r ∈ {1, 4, 16, 64}: the
/// largest error of y and of ∂x is 6.4e-7 of the output scale max(1, max|y|), with no growth in r and
/// little in N, so the float32 starting tolerance of docs/math.md §12 (~1e-5 relative) holds without widening.
/// Results differ from dense products in the last bits and between SIMD paths (FMA or not), not between
/// runs of the same path.</para>
/// <para><b>Dense form (large batches).</b> The cache also holds W, the dense m×n matrix, rewritten by every
/// <see cref="GateMatrix.Prepare"/> in O(r·N·n + r·N²) (<see cref="ToeplitzLikeDenseForm"/>). From
/// <see cref="DenseFormGateMatrix.DenseBatchThreshold"/> rows per call on (a measured cost model, <see cref="ToeplitzLikePathChoice"/>),
/// Forward is the GEMM <c>Y += X·Wᵀ</c>, Backward <c>dX += dY·W</c> and <c>dW += dYᵀ·X</c>, and the dense ∂L/∂W is mapped
/// onto ∂G, ∂H by the adjoint of the materialisation: at the end of the call, or, in a backward session
/// (<see cref="GateMatrix.BeginBackward"/>), summed in the session's state over all steps and mapped once, in
/// <see cref="GateMatrixBackwardSession.Finish"/>.
/// Both paths give the same results to float rounding. Memory: the cache grows by m·n floats (the parameters stay 2·N·r).</para>
/// <para><b>Initialisation</b> (docs/math.md §9): every entry of M has variance r·N·σ_g²·σ_h²/4, kept entries of the
/// embedding included; G and H are drawn from N(0, σ²) with σ² = √(4v/(r·N)), v = 1/(3n) (<see cref="GateMatrixInit.VariancePreserving"/>),
/// or σ² = 1/(r·N) (<see cref="GateMatrixInit.RankScaled"/>).</para>
/// </remarks>
public sealed partial class ToeplitzLikeGateMatrix : DenseFormGateMatrix
{
    private readonly ParameterBlock[] _blocks;
    private readonly FftPlan _plan;
    private SkewTables? _skew; // built on first use: a model whose inference form replaces this matrix never needs them

    /// <summary>Creates an m×n Toeplitz-like matrix embedded in an N×N one, N = max(m, n).</summary>
    /// <param name="outputSize">m, at least 1.</param>
    /// <param name="inputSize">n, at least 1.</param>
    /// <param name="displacementRank">r, from 1 to N.</param>
    public ToeplitzLikeGateMatrix(int outputSize, int inputSize, int displacementRank)
        : this(outputSize, inputSize, displacementRank, denseForm: true)
    {
    }

    /// <summary>Creates the matrix, with or without the cached dense form (a block of a stacked matrix keeps none:
    /// the stacked matrix caches one dense form for all its blocks).</summary>
    internal ToeplitzLikeGateMatrix(int outputSize, int inputSize, int displacementRank, bool denseForm)
        : this(outputSize, inputSize, displacementRank, denseForm, GateMatrixInit.VariancePreserving)
    {
    }

    /// <summary>Creates an m×n Toeplitz-like matrix whose generators are drawn by <paramref name="init"/> (docs/math.md §9).</summary>
    /// <param name="outputSize">m, at least 1.</param>
    /// <param name="inputSize">n, at least 1.</param>
    /// <param name="displacementRank">r, from 1 to N.</param>
    /// <param name="init"><see cref="GateMatrixInit.RankScaled"/> draws G, H from N(0, 1/(r·N)); any other scheme is variance-preserving.</param>
    public ToeplitzLikeGateMatrix(int outputSize, int inputSize, int displacementRank, GateMatrixInit init)
        : this(outputSize, inputSize, displacementRank, denseForm: true, init)
    {
    }

    /// <summary>Creates the matrix with or without the cached dense form, its generators drawn by <paramref name="init"/>.</summary>
    internal ToeplitzLikeGateMatrix(int outputSize, int inputSize, int displacementRank, bool denseForm, GateMatrixInit init)
        : base(outputSize, inputSize, denseForm)
    {
        int size = Math.Max(outputSize, inputSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(displacementRank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(displacementRank, size);
        DisplacementRank = displacementRank;
        EmbeddingSize = size;
        PairCount = (displacementRank + 1) / 2;
        DenseBatchThreshold = ToeplitzLikePathChoice.DenseBatchThreshold(outputSize, inputSize, size, displacementRank, blocks: 1);
        CompleteBackwardBatchThreshold = ToeplitzLikePathChoice.CompleteBackwardBatchThreshold(outputSize, inputSize, size, displacementRank, blocks: 1);
        Init = init == GateMatrixInit.RankScaled ? init : GateMatrixInit.VariancePreserving;
        float stepScale = StepScale.ToeplitzLike(size, displacementRank, InitialGeneratorVariance(size, displacementRank, inputSize, Init));
        _blocks =
        [
            new ParameterBlock("G", 0, displacementRank, size) { LearningRateScale = stepScale },
            new ParameterBlock("H", displacementRank * size, displacementRank, size) { LearningRateScale = stepScale },
        ];
        _plan = FftPlan.ForLength(size);
    }

    /// <summary>The η tables of the skew path, built on first use (idempotent: a race builds equal tables twice).</summary>
    private SkewTables Skew => Volatile.Read(ref _skew) ?? BuildSkew();

    private SkewTables BuildSkew()
    {
        Interlocked.CompareExchange(ref _skew, new SkewTables(EmbeddingSize), null);
        return _skew!;
    }

    /// <summary>r, the displacement rank (number of generator columns).</summary>
    public int DisplacementRank { get; }

    /// <summary>How <see cref="GateMatrix.Initialize"/> draws the generators (and so the step-size multiplier of docs/math.md §13):
    /// <see cref="GateMatrixInit.VariancePreserving"/> or <see cref="GateMatrixInit.RankScaled"/>.</summary>
    public GateMatrixInit Init { get; }

    /// <summary>N = max(m, n), the side of the square Toeplitz-like matrix and the FFT length.</summary>
    public int EmbeddingSize { get; }

    /// <summary>⌈r/2⌉: generators are transformed two at a time.</summary>
    private int PairCount { get; }

    /// <inheritdoc />
    public override string Kind => "toeplitz";

    /// <inheritdoc />
    internal override long TableBytes
        => Volatile.Read(ref _skew)?.Bytes ?? 0;

    /// <inheritdoc />
    internal override IEnumerable<FftPlan> Plans => [_plan];

    /// <inheritdoc />
    /// <remarks>The circulant form (<see cref="CirculantToeplitzLikeGateMatrix"/>) where it <see cref="CirculantToeplitzLikeGateMatrix.Pays"/>
    /// (a short input, as in every gate stack); otherwise this matrix.</remarks>
    internal override GateMatrix InferenceForm() => CirculantToeplitzLikeGateMatrix.Pays(this) ? new CirculantToeplitzLikeGateMatrix(this) : this;

    /// <inheritdoc />
    private protected override (char Key, int Value)? SizeParameter => ('r', DisplacementRank);

    /// <inheritdoc />
    public override int ParameterCount => checked(2 * DisplacementRank * EmbeddingSize);

    /// <inheritdoc />
    public override IReadOnlyList<ParameterBlock> ParameterBlocks => _blocks;

    /// <inheritdoc />
    /// <remarks>4·⌈r/2⌉·N floats of spectra (Ĝ_p, Ĥ_p split re/im), the dense form W (m·n floats, row-major), and
    /// the scratch used while preparing (FFT scratch, or N doubles for the dense recursion).</remarks>
    public override int CacheSize => checked(SpectraLength + DenseLength + (HasDenseForm ? WriteScratchLength : _plan.ScratchLength));

    private int SpectraLength => checked(4 * PairCount * EmbeddingSize);

    private int FftWorkspaceLength => ((5 + (2 * PairCount)) * 2 * EmbeddingSize) + _plan.ScratchLength;

    /// <inheritdoc />
    /// <remarks>Vectors are processed one at a time through (5 + 2·⌈r/2⌉) complex buffers of length N plus the FFT scratch.</remarks>
    private protected override int StructuredWorkspaceSize(int batchSize) => FftWorkspaceLength;

    /// <inheritdoc />
    protected override void PrepareCore(ReadOnlySpan<float> parameters, Span<float> cache)
    {
        int size = EmbeddingSize, r = DisplacementRank;
        ReadOnlySpan<float> g = _blocks[0].Slice(parameters); // [r, N]
        ReadOnlySpan<float> h = _blocks[1].Slice(parameters); // [r, N]
        Span<float> scratch = cache[(SpectraLength + DenseLength)..];
        ReadOnlySpan<float> etaRe = Skew.EtaRe, etaIm = Skew.EtaIm;
        for (int p = 0; p < PairCount; p++)
        {
            int a = 2 * p, b = a + 1;
            Span<float> gRe = GSpectrum(cache, p, imaginary: false), gIm = GSpectrum(cache, p, imaginary: true);
            g.Slice(a * size, size).CopyTo(gRe);
            if (b < r)
            {
                TensorPrimitives.Negate(g.Slice(b * size, size), gIm); // g_a − i·g_b
            }
            else
            {
                gIm.Clear();
            }

            _plan.Forward(gRe, gIm, scratch);

            Span<float> hRe = HSpectrum(cache, p, imaginary: false), hIm = HSpectrum(cache, p, imaginary: true);
            for (int k = 0; k < size; k++)
            {
                float vr = h[(a * size) + size - 1 - k];                   // (J h_a)_k
                float vi = b < r ? h[(b * size) + size - 1 - k] : 0f;       // (J h_b)_k
                hRe[k] = (etaRe[k] * vr) - (etaIm[k] * vi);                 // η ⊙ (J h_a + i·J h_b)
                hIm[k] = (etaRe[k] * vi) + (etaIm[k] * vr);
            }

            _plan.Forward(hRe, hIm, scratch);
        }

        if (HasDenseForm)
        {
            WriteDense(parameters, cache, cache.Slice(SpectraLength, DenseLength), InputSize, scratch);
        }
    }

    /// <inheritdoc />
    private protected override void StructuredForward(GateMatrixWeights weights, ReadOnlySpan<float> input, int batchSize, Span<float> output, Span<float> workspace)
        => ForwardStrided(weights, input, InputSize, batchSize, output, OutputSize, workspace);

    /// <inheritdoc />
    private protected override void StructuredBackward(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace)
        => BackwardStrided(weights, input, InputSize, dOutput, OutputSize, batchSize, dParameters, dInput, workspace);

    /// <summary>
    /// <see cref="GateMatrix.Forward"/> for vectors that sit <paramref name="inputStride"/> and
    /// <paramref name="outputStride"/> floats apart (vector b at <c>input[b·inputStride ..]</c>), so a block of
    /// a larger matrix can read and write its slice of each row in place. Spans are not validated.
    /// </summary>
    internal void ForwardStrided(GateMatrixWeights weights, ReadOnlySpan<float> input, int inputStride, int batchSize, Span<float> output, int outputStride, Span<float> workspace)
    {
        int size = EmbeddingSize, n = InputSize, m = OutputSize;
        var buffers = new Buffers(workspace, size, PairCount);
        float outputScale = 0.5f / size;
        for (int b = 0; b < batchSize; b++)
        {
            TransformInput(input.Slice(b * inputStride, n), buffers.XRe, buffers.XIm, buffers.Scratch); // X̂ = FFT(η ⊙ x)
            buffers.AccRe.Clear();
            buffers.AccIm.Clear();
            for (int p = 0; p < PairCount; p++)
            {
                SkewProductSpectrum(weights.Cache, p, buffers);                               // t = FFT(u_a + i·u_b)
                ComplexSpans.Multiply(GSpectrum(weights.Cache, p, false), GSpectrum(weights.Cache, p, true), buffers.TRe, buffers.TIm,
                    buffers.AccRe, buffers.AccIm, conjugateA: false, accumulate: true);       // acc += Ĝ_p ⊙ t
            }

            _plan.Inverse(buffers.AccRe, buffers.AccIm, buffers.Scratch);
            TensorPrimitives.MultiplyAdd(buffers.AccRe[..m], outputScale, output.Slice(b * outputStride, m), output.Slice(b * outputStride, m)); // y += ½ Re IFFT(acc)
        }
    }

    /// <summary>
    /// <see cref="GateMatrix.Backward(GateMatrixWeights, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, Span{float}, Span{float})"/> with strided vectors: input and dInput rows <paramref name="inputStride"/>
    /// apart, dOutput rows <paramref name="outputStride"/> apart. Spans are not validated.
    /// </summary>
    internal void BackwardStrided(GateMatrixWeights weights, ReadOnlySpan<float> input, int inputStride, ReadOnlySpan<float> dOutput, int outputStride, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace)
    {
        int size = EmbeddingSize, n = InputSize, m = OutputSize;
        var buffers = new Buffers(workspace, size, PairCount);
        ReadOnlySpan<float> cache = weights.Cache;
        buffers.GradientSpectra.Clear();
        float inputScale = 0.5f / ((float)size * size);
        for (int b = 0; b < batchSize; b++)
        {
            TransformInput(input.Slice(b * inputStride, n), buffers.XRe, buffers.XIm, buffers.Scratch); // X̂ = FFT(η ⊙ x)
            dOutput.Slice(b * outputStride, m).CopyTo(buffers.DRe);                                       // Δ̂ = FFT(δ padded)
            buffers.DRe[m..].Clear();
            buffers.DIm.Clear();
            _plan.Forward(buffers.DRe, buffers.DIm, buffers.Scratch);
            buffers.AccRe.Clear();
            buffers.AccIm.Clear();
            for (int p = 0; p < PairCount; p++)
            {
                ReadOnlySpan<float> gRe = GSpectrum(cache, p, false), gIm = GSpectrum(cache, p, true);
                ReadOnlySpan<float> hRe = HSpectrum(cache, p, false), hIm = HSpectrum(cache, p, true);

                // ∂g pair: gacc_p += conj(FFT(u_a + i·u_b)) ⊙ Δ̂  →  Z_1(u_a)ᵀδ − i·Z_1(u_b)ᵀδ after the IFFT.
                SkewProductSpectrum(cache, p, buffers);
                ComplexSpans.Multiply(buffers.TRe, buffers.TIm, buffers.DRe, buffers.DIm, buffers.GAccRe(p), buffers.GAccIm(p), conjugateA: true, accumulate: true);

                // N·(z_a + i·z_b) = IFFT(conj(Ĝ_p) ⊙ Δ̂), z_j = Z_1(g_j)ᵀ δ.
                ComplexSpans.Multiply(gRe, gIm, buffers.DRe, buffers.DIm, buffers.ZRe, buffers.ZIm, conjugateA: true, accumulate: false);
                _plan.Inverse(buffers.ZRe, buffers.ZIm, buffers.Scratch);

                // V = FFT(η ⊙ N·(z_a + i·z_b)); conj(V)/N² = IFFT(conj(η) ⊙ (z_a − i·z_b)), the inner factor of Z_{−1}(·)ᵀ(z_a − i·z_b).
                ComplexSpans.Multiply(Skew.EtaRe, Skew.EtaIm, buffers.ZRe, buffers.ZIm, buffers.ZRe, buffers.ZIm, conjugateA: false, accumulate: false);
                _plan.Forward(buffers.ZRe, buffers.ZIm, buffers.Scratch);
                ComplexSpans.Multiply(buffers.ZRe, buffers.ZIm, buffers.XRe, buffers.XIm, buffers.HAccRe(p), buffers.HAccIm(p), conjugateA: true, accumulate: true);
                if (!dInput.IsEmpty)
                {
                    ComplexSpans.Multiply(buffers.ZRe, buffers.ZIm, hRe, hIm, buffers.AccRe, buffers.AccIm, conjugateA: true, accumulate: true);
                }
            }

            if (!dInput.IsEmpty)
            {
                // ∂x = ½ Re[η ⊙ FFT(Σ_p Ĥ_p ⊙ conj(V_p))]/N², first n entries.
                _plan.Forward(buffers.AccRe, buffers.AccIm, buffers.Scratch);
                ComplexSpans.Multiply(Skew.EtaRe, Skew.EtaIm, buffers.AccRe, buffers.AccIm, buffers.AccRe, buffers.AccIm, conjugateA: false, accumulate: false);
                TensorPrimitives.MultiplyAdd(buffers.AccRe[..n], inputScale, dInput.Slice(b * inputStride, n), dInput.Slice(b * inputStride, n));
            }
        }

        AccumulateGeneratorGradients(buffers, dParameters);
    }

    /// <inheritdoc />
    protected override void ToDenseCore(ReadOnlySpan<float> parameters, Span<float> dense)
        => ToeplitzLikeDense.Write(_blocks[0].Slice(parameters), _blocks[1].Slice(parameters), DisplacementRank, EmbeddingSize, OutputSize, InputSize, dense);

    /// <inheritdoc />
    protected override void InitializeCore(Span<float> parameters, Random random)
    {
        double sigma = Math.Sqrt(InitialGeneratorVariance(EmbeddingSize, DisplacementRank, InputSize, Init));
        Initializers.FillNormal(_blocks[0].Slice(parameters), sigma, random);
        Initializers.FillNormal(_blocks[1].Slice(parameters), sigma, random);
    }

    /// <summary>
    /// σ² of the generators' initial draw for an N×N block (N = <paramref name="size"/>) inside a matrix with
    /// <paramref name="inputSize"/> columns (docs/math.md §9): variance-preserving, Var(M_ik) = r·N·σ⁴/4 = v = 1/(3n) ⇒
    /// σ² = √(4v/(r·N)); rank-scaled, σ² = 1/(r·N), so Var(M_ik) = 1/(4·r·N).
    /// </summary>
    internal static double InitialGeneratorVariance(int size, int rank, int inputSize, GateMatrixInit init)
        => init == GateMatrixInit.RankScaled ? 1.0 / (rank * (double)size) : Math.Sqrt(4.0 / (3.0 * inputSize) / (rank * (double)size));

    private Span<float> GSpectrum(Span<float> cache, int pair, bool imaginary)
        => cache.Slice(((2 * pair) + (imaginary ? 1 : 0)) * EmbeddingSize, EmbeddingSize);

    private ReadOnlySpan<float> GSpectrum(ReadOnlySpan<float> cache, int pair, bool imaginary)
        => cache.Slice(((2 * pair) + (imaginary ? 1 : 0)) * EmbeddingSize, EmbeddingSize);

    private Span<float> HSpectrum(Span<float> cache, int pair, bool imaginary)
        => cache.Slice(((2 * (PairCount + pair)) + (imaginary ? 1 : 0)) * EmbeddingSize, EmbeddingSize);

    private ReadOnlySpan<float> HSpectrum(ReadOnlySpan<float> cache, int pair, bool imaginary)
        => cache.Slice(((2 * (PairCount + pair)) + (imaginary ? 1 : 0)) * EmbeddingSize, EmbeddingSize);
}
