using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CompactRnn.Kernels;
using CompactRnn.Parameters;

namespace CompactRnn.GateMatrices;

/// <summary>
/// The forward-only inference form of a <see cref="ToeplitzLikeGateMatrix"/> with a short input (n ≪ N = max(m, n), as in
/// every gate stack, 4n_c × n): the same parameters and the same product y = M x (the m×n corner of
/// <c>M = ½ Σ_j Z_1(g_j)·Z_{−1}(J h_j)</c>), through circulants only, so no change of basis between circulant and
/// skew-circulant per generator pair (docs/math.md §7).
/// </summary>
/// <remarks>
/// <para><b>Derivation.</b> The displacement equation <c>Z_1 M − M Z_{−1} = G Hᵀ</c> read column by column gives
/// <c>M e_{k+1} = Z_1 M e_k − Σ_j h_j[k]·g_j</c> (as in <see cref="ToeplitzLikeDenseForm"/>), so
/// <c>M e_k = Z_1^k c_0 − Σ_{l&lt;k} Z_1^{k−1−l} Σ_j h_j[l]·g_j</c> with c_0 = M e_0, and for x supported on the first n
/// entries</para>
/// <para><c>M x = Z_1(c_0)·x − Σ_j Z_1(g_j)·w_j</c>, <c>w_j[d] = Σ_{l=0}^{n−2−d} h_j[l]·x[l+1+d]</c> (d &lt; n − 1, zero beyond),</para>
/// <para>where Z_1(v) is the circulant with first column v. All r + 1 products are circulant, so they are summed in one
/// Fourier basis: with the real vectors a = (c_0, −g_0, …, −g_{r−1}) and u = (x, w_0, …, w_{r−1}) taken in pairs,
/// <c>S_q = FFT(a_{2q} − i·a_{2q+1})</c> (cached) and <c>y = (1/N)·Re IFFT(Σ_q S_q ⊙ FFT(u_{2q} + i·u_{2q+1}))</c>,
/// first m entries (two real circular convolutions per complex product, as in <see cref="ToeplitzLikeGateMatrix"/>).</para>
/// <para><b>Cost</b> per vector: ⌈(r+1)/2⌉ forward FFTs and one inverse, against r + 2 on the skew path, plus the
/// correlations w_j, r·n²/2 multiply-adds over contiguous windows of x (vectorised across d, four generators per load). That
/// pays while n is small against N (<see cref="Pays"/>), which is when it is used. <b>Cache</b>: ⌈(r+1)/2⌉·2N floats, against 4·⌈r/2⌉·N for
/// the skew spectra, and no η tables, so a streaming model holds fewer bytes than its generators twice over.</para>
/// <para><b>Forward only.</b> It serves a model (LstmModel)'s inference network; backward calls throw
/// <see cref="InvalidOperationException"/>. <see cref="GateMatrix.Prepare"/> allocates its transient FFT buffers
/// (it runs once per model, and the cache keeps only the spectra). Results equal the skew path and the dense product to
/// float32 rounding (tests).</para>
/// </remarks>
internal sealed class CirculantToeplitzLikeGateMatrix : GateMatrix
{
    private readonly ToeplitzLikeGateMatrix _source;
    private readonly FftPlan _plan;
    private readonly int _size;
    private readonly int _rank;
    private readonly int _pairs;

    /// <summary>The inference form of <paramref name="source"/>, same parameters and layout.</summary>
    public CirculantToeplitzLikeGateMatrix(ToeplitzLikeGateMatrix source)
        : base((source ?? throw new ArgumentNullException(nameof(source))).OutputSize, source.InputSize)
    {
        _source = source;
        _size = source.EmbeddingSize;
        _rank = source.DisplacementRank;
        _pairs = (_rank + 2) / 2; // ⌈(r+1)/2⌉
        _plan = FftPlan.ForLength(_size);
    }

    /// <summary>
    /// Whether the circulant form is chosen for this shape: the ⌊(r+1)/2⌋ transforms it saves per vector must roughly outweigh
    /// the correlations, <c>r·n² ≤ 4·⌊(r+1)/2⌋·N·log₂N</c>. From <c>tl-stream-forms</c> (benchmarks; 2 shared cores under
    /// heavy load, so only the crossover is read): at N = 512…1024 and r = 4 the circulant form was 1.2–2× faster for
    /// n = 40…64, level at n = 96 (N = 768), about 1.15× slower at n = 128 (N = 1024) and 2× slower at n = 192–256. The
    /// factor keeps n = 128 at N = 1024 on purpose: there the circulant form's smaller cache (⌈(r+1)/2⌉·2N floats, no η
    /// tables) is what keeps a streaming model within 1.5× its parameter bytes (issue 15 item 6), at a small cost in time.
    /// </summary>
    public static bool Pays(ToeplitzLikeGateMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        double n = matrix.InputSize, size = matrix.EmbeddingSize, r = matrix.DisplacementRank;
        double saved = Math.Floor((r + 1) / 2);
        return r * n * n <= 4 * saved * size * Math.Log2(Math.Max(2, size));
    }

    /// <inheritdoc />
    public override string Kind => _source.Kind;

    /// <inheritdoc />
    public override int ParameterCount => _source.ParameterCount;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterBlock> ParameterBlocks => _source.ParameterBlocks;

    /// <inheritdoc />
    /// <remarks>⌈(r+1)/2⌉ spectra S_q of N complex values, split re/im.</remarks>
    public override int CacheSize => checked(_pairs * 2 * _size);

    /// <inheritdoc />
    internal override IEnumerable<FftPlan> Plans => [_plan];

    /// <inheritdoc />
    private protected override (char Key, int Value)? SizeParameter => ('r', _rank);

    /// <summary>x followed by zeros, long enough for a full vector read at any window start of the correlation.</summary>
    private int PaddedInputLength => InputSize + CorrelationLanes;

    /// <summary>w_0 … w_{r−1}, n − 1 floats each.</summary>
    private int CorrelationLength => _rank * (InputSize - 1);

    /// <inheritdoc />
    /// <remarks>One vector at a time: two complex buffers of length N (the pair being transformed, the accumulator), the FFT scratch, the padded input and the r correlations.</remarks>
    protected override int WorkspaceSizeCore(int batchSize) => (4 * _size) + _plan.ScratchLength + PaddedInputLength + CorrelationLength;

    /// <inheritdoc />
    protected override void PrepareCore(ReadOnlySpan<float> parameters, Span<float> cache)
    {
        int size = _size, r = _rank;
        ReadOnlySpan<float> g = _source.ParameterBlocks[0].Slice(parameters); // [r, N]
        ReadOnlySpan<float> h = _source.ParameterBlocks[1].Slice(parameters); // [r, N]
        float[] aRe = new float[size], aIm = new float[size], bRe = new float[size], bIm = new float[size];
        float[] accRe = new float[size], accIm = new float[size], scratch = new float[_plan.ScratchLength];

        // c_0 = ½ Σ_j Z_1(g_j)·J h_j, two generators per transform: Re IFFT(FFT(g_a − i·g_b) ⊙ FFT(J h_a + i·J h_b)) = N·(g_a ⊛ J h_a + g_b ⊛ J h_b).
        for (int a = 0; a < r; a += 2)
        {
            int b = a + 1;
            g.Slice(a * size, size).CopyTo(aRe);
            if (b < r)
            {
                TensorPrimitives.Negate(g.Slice(b * size, size), aIm);
            }
            else
            {
                Array.Clear(aIm);
            }

            for (int k = 0; k < size; k++)
            {
                bRe[k] = h[(a * size) + size - 1 - k];
                bIm[k] = b < r ? h[(b * size) + size - 1 - k] : 0f;
            }

            _plan.Forward(aRe, aIm, scratch);
            _plan.Forward(bRe, bIm, scratch);
            ComplexSpans.Multiply(aRe, aIm, bRe, bIm, accRe, accIm, conjugateA: false, accumulate: true);
        }

        _plan.Inverse(accRe, accIm, scratch);
        float[] column = accRe;
        TensorPrimitives.Multiply(column, 0.5f / size, column); // c_0

        // S_q = FFT(a_{2q} − i·a_{2q+1}) over a = (c_0, −g_0, …, −g_{r−1}).
        for (int q = 0; q < _pairs; q++)
        {
            Span<float> re = cache.Slice(2 * q * size, size), im = cache.Slice(((2 * q) + 1) * size, size);
            Left(2 * q, column, g, re, negate: false);
            Left((2 * q) + 1, column, g, im, negate: true);
            _plan.Forward(re, im, scratch);
        }
    }

    /// <inheritdoc />
    protected override void ForwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, int batchSize, Span<float> output, Span<float> workspace)
    {
        int size = _size, n = InputSize, m = OutputSize;
        ReadOnlySpan<float> h = _source.ParameterBlocks[1].Slice(weights.Parameters);
        ReadOnlySpan<float> spectra = weights.Cache;
        Span<float> re = workspace[..size], im = workspace.Slice(size, size);
        Span<float> accRe = workspace.Slice(2 * size, size), accIm = workspace.Slice(3 * size, size);
        Span<float> scratch = workspace.Slice(4 * size, _plan.ScratchLength);
        Span<float> padded = workspace.Slice((4 * size) + _plan.ScratchLength, PaddedInputLength);
        Span<float> correlations = workspace.Slice((4 * size) + _plan.ScratchLength + PaddedInputLength, CorrelationLength);
        padded[n..].Clear();
        float outputScale = 1f / size;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * n, n);
            x.CopyTo(padded);
            Correlate(h, _rank, size, padded, n, correlations); // w_0 … w_{r−1}
            accRe.Clear();
            accIm.Clear();
            for (int q = 0; q < _pairs; q++)
            {
                Right(2 * q, x, correlations, re);
                Right((2 * q) + 1, x, correlations, im);
                _plan.Forward(re, im, scratch);
                ComplexSpans.Multiply(spectra.Slice(2 * q * size, size), spectra.Slice(((2 * q) + 1) * size, size), re, im, accRe, accIm,
                    conjugateA: false, accumulate: true);                                                  // acc += S_q ⊙ FFT(u_2q + i·u_2q+1)
            }

            _plan.Inverse(accRe, accIm, scratch);
            TensorPrimitives.MultiplyAdd(accRe[..m], outputScale, output.Slice(b * m, m), output.Slice(b * m, m)); // y += Re IFFT(acc) / N
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Always: this form serves inference only.</exception>
    protected override void BackwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace)
        => throw ForwardOnly();

    /// <inheritdoc />
    protected override int BackwardStateSizeCore(int rowsPerCall) => 0;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Always: this form serves inference only.</exception>
    protected override void BackwardStepCore(in GateMatrixBackwardSession session, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dInput)
        => throw ForwardOnly();

    /// <inheritdoc />
    protected override void FinishBackwardCore(in GateMatrixBackwardSession session) => throw ForwardOnly();

    /// <inheritdoc />
    protected override void ToDenseCore(ReadOnlySpan<float> parameters, Span<float> dense) => _source.ToDense(parameters, dense);

    /// <inheritdoc />
    protected override void InitializeCore(Span<float> parameters, Random random) => _source.Initialize(parameters, random);

    /// <summary>The lanes of the width <see cref="Correlate"/> runs at (the widest accelerated one): the zeros it may read past x.</summary>
    internal static int CorrelationLanes
        => Lanes512.IsAccelerated ? Lanes512.Count : Lanes256.IsAccelerated ? Lanes256.Count : Lanes128.IsAccelerated ? Lanes128.Count : Lanes1.Count;

    /// <summary>Runs <see cref="Correlate{TL, TV}"/> at the widest accelerated width (<see cref="CorrelationLanes"/>).</summary>
    internal static void Correlate(ReadOnlySpan<float> h, int rank, int stride, ReadOnlySpan<float> padded, int n, Span<float> w)
    {
        if (Lanes512.IsAccelerated)
        {
            Correlate<Lanes512, Vector512<float>>(h, rank, stride, padded, n, w);
        }
        else if (Lanes256.IsAccelerated)
        {
            Correlate<Lanes256, Vector256<float>>(h, rank, stride, padded, n, w);
        }
        else if (Lanes128.IsAccelerated)
        {
            Correlate<Lanes128, Vector128<float>>(h, rank, stride, padded, n, w);
        }
        else
        {
            Correlate<Lanes1, float>(h, rank, stride, padded, n, w);
        }
    }

    /// <summary>
    /// <c>w_j[d] = Σ_{l=0}^{n−2−d} h_j[l]·x[l+1+d]</c> for every generator j &lt; <paramref name="rank"/> and d &lt; n − 1, into
    /// <c>w[j·(n−1) + d]</c>. Vectorised across d, four generators per pass so each window of x is loaded once for all four;
    /// lanes whose window runs past x read the zeros that follow it in <paramref name="padded"/> (each adds an exact 0, so every
    /// width sums the same products in the same order).
    /// </summary>
    /// <param name="h">H stored [r, <paramref name="stride"/>].</param>
    /// <param name="rank">r.</param>
    /// <param name="stride">Floats between generators in <paramref name="h"/> (N).</param>
    /// <param name="padded">x, then at least <c>TL.Count</c> zeros.</param>
    /// <param name="n">The length of x.</param>
    /// <param name="w">r·(n − 1) floats, overwritten.</param>
    internal static void Correlate<TL, TV>(ReadOnlySpan<float> h, int rank, int stride, ReadOnlySpan<float> padded, int n, Span<float> w)
        where TL : ILanes<TV>
        where TV : struct
    {
        int count = n - 1, lanes = TL.Count;
        if (count <= 0)
        {
            return;
        }

        ref float x = ref MemoryMarshal.GetReference(padded);
        ref float hBase = ref MemoryMarshal.GetReference(h);
        Span<float> tail = stackalloc float[TL.Count];
        for (int j0 = 0; j0 < rank; j0 += 4)
        {
            int group = Math.Min(4, rank - j0);
            ref float h0 = ref Unsafe.Add(ref hBase, j0 * stride);
            ref float h1 = ref Unsafe.Add(ref h0, group > 1 ? stride : 0);
            ref float h2 = ref Unsafe.Add(ref h0, group > 2 ? 2 * stride : 0);
            ref float h3 = ref Unsafe.Add(ref h0, group > 3 ? 3 * stride : 0);
            for (int start = 0; start < count; start += lanes)
            {
                TV a0 = TL.Zero, a1 = TL.Zero, a2 = TL.Zero, a3 = TL.Zero;
                int last = count - 1 - start;
                for (int l = 0; l <= last; l++)
                {
                    TV window = TL.Load(ref x, l + 1 + start);
                    a0 = TL.MultiplyAdd(TL.Broadcast(Unsafe.Add(ref h0, l)), window, a0);
                    a1 = TL.MultiplyAdd(TL.Broadcast(Unsafe.Add(ref h1, l)), window, a1);
                    a2 = TL.MultiplyAdd(TL.Broadcast(Unsafe.Add(ref h2, l)), window, a2);
                    a3 = TL.MultiplyAdd(TL.Broadcast(Unsafe.Add(ref h3, l)), window, a3);
                }

                // Unused accumulators of a short last group repeat generator j0's rows and are dropped here.
                Store<TL, TV>(a0, w, (j0 * count) + start, count - start, tail);
                if (group > 1)
                {
                    Store<TL, TV>(a1, w, ((j0 + 1) * count) + start, count - start, tail);
                }

                if (group > 2)
                {
                    Store<TL, TV>(a2, w, ((j0 + 2) * count) + start, count - start, tail);
                }

                if (group > 3)
                {
                    Store<TL, TV>(a3, w, ((j0 + 3) * count) + start, count - start, tail);
                }
            }
        }
    }

    private static void Store<TL, TV>(TV value, Span<float> w, int offset, int remaining, Span<float> tail)
        where TL : ILanes<TV>
        where TV : struct
    {
        if (remaining >= TL.Count)
        {
            TL.Store(value, w, offset);
            return;
        }

        TL.Store(value, tail, 0);
        tail[..remaining].CopyTo(w[offset..]);
    }

    private static InvalidOperationException ForwardOnly()
        => new("The circulant form of a Toeplitz-like matrix is forward-only (a model's inference network); train with a network built from the options.");

    /// <summary>a_index of (c_0, −g_0, …, −g_{r−1}) into <paramref name="destination"/> (negated when asked, zero past the end).</summary>
    private void Left(int index, ReadOnlySpan<float> column, ReadOnlySpan<float> g, Span<float> destination, bool negate)
    {
        if (index == 0)
        {
            column.CopyTo(destination); // the real part is never negated: index 0 is always the first of its pair
        }
        else if (index <= _rank)
        {
            ReadOnlySpan<float> generator = g.Slice((index - 1) * _size, _size);
            if (negate)
            {
                generator.CopyTo(destination);      // −(−g)
            }
            else
            {
                TensorPrimitives.Negate(generator, destination);
            }
        }
        else
        {
            destination.Clear();
        }
    }

    /// <summary>u_index of (x, w_0, …, w_{r−1}), zero-padded to N, into <paramref name="destination"/>.</summary>
    private void Right(int index, ReadOnlySpan<float> x, ReadOnlySpan<float> correlations, Span<float> destination)
    {
        int count = InputSize - 1;
        if (index == 0)
        {
            x.CopyTo(destination);
            destination[x.Length..].Clear();
        }
        else if (index <= _rank)
        {
            correlations.Slice((index - 1) * count, count).CopyTo(destination);
            destination[count..].Clear();
        }
        else
        {
            destination.Clear();
        }
    }
}
