using System;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;
using CompactRnn.Kernels;

namespace CompactRnn.GateMatrices;

/// <content>The dense form: W cached by Prepare, GEMM products, and the dense gradient's projection onto G, H.</content>
public sealed partial class ToeplitzLikeGateMatrix
{
    /// <summary>Floats of scratch <see cref="WriteDense"/> needs: N doubles of column, 4N floats of FFT buffers, FFT scratch.</summary>
    internal int WriteScratchLength => (6 * EmbeddingSize) + _plan.ScratchLength;

    /// <inheritdoc />
    /// <remarks><see cref="ProjectDense"/>'s λ, 4N floats of FFT buffers, and the FFT scratch.</remarks>
    internal override int ProjectScratchLength => (5 * EmbeddingSize) + _plan.ScratchLength;

    /// <inheritdoc />
    /// <remarks>After the spectra.</remarks>
    private protected override int DenseFormOffset => SpectraLength;

    /// <summary>
    /// Writes W_ik to <c>dense[i·rowStride + k]</c> (m×n). The first column <c>c_0 = ½ Σ_j Z_1(g_j)·J h_j</c> comes from
    /// the prepared spectra: <c>Re IFFT(Ĝ_p ⊙ FFT(J h_a + i·J h_b)) = g_a ⊛ J h_a + g_b ⊛ J h_b</c> (circular convolutions),
    /// 1 + ⌈r/2⌉ FFTs; the other columns follow by the displacement recursion (<see cref="ToeplitzLikeDenseForm"/>).
    /// </summary>
    /// <param name="parameters">The generators.</param>
    /// <param name="spectra">This matrix's cache, with the spectra already prepared.</param>
    /// <param name="dense">Destination.</param>
    /// <param name="rowStride">Floats between rows of <paramref name="dense"/>.</param>
    /// <param name="scratch">At least <see cref="WriteScratchLength"/> floats.</param>
    internal void WriteDense(ReadOnlySpan<float> parameters, ReadOnlySpan<float> spectra, Span<float> dense, int rowStride, Span<float> scratch)
    {
        int size = EmbeddingSize;
        Span<double> column = MemoryMarshal.Cast<float, double>(scratch[..(2 * size)]);
        Span<float> accRe = scratch.Slice(2 * size, size), accIm = scratch.Slice(3 * size, size);
        Span<float> tRe = scratch.Slice(4 * size, size), tIm = scratch.Slice(5 * size, size);
        Span<float> fftScratch = scratch[(6 * size)..];
        ReadOnlySpan<float> h = _blocks[1].Slice(parameters);
        accRe.Clear();
        accIm.Clear();
        for (int p = 0; p < PairCount; p++)
        {
            ReversedPair(h, p, tRe, tIm, imaginarySign: 1f);                                                  // J h_a + i·J h_b
            _plan.Forward(tRe, tIm, fftScratch);
            ComplexSpans.Multiply(GSpectrum(spectra, p, false), GSpectrum(spectra, p, true), tRe, tIm, accRe, accIm, conjugateA: false, accumulate: true);
        }

        _plan.Inverse(accRe, accIm, fftScratch);
        double scale = 0.5 / size; // ½ and the unnormalised inverse
        for (int i = 0; i < size; i++)
        {
            column[i] = scale * accRe[i];
        }

        ToeplitzLikeDenseForm.WriteColumns(_blocks[0].Slice(parameters), h, DisplacementRank, OutputSize, InputSize, dense, rowStride, column,
            accRe, MemoryMarshal.Cast<float, double>(scratch.Slice(4 * size, 2 * size)));
    }

    /// <summary>
    /// Adds to <paramref name="dParameters"/> the generator gradient of a dense gradient ∂L/∂W_ik at <c>dDense[i·rowStride + k]</c>:
    /// the column recursion's adjoint (<see cref="ToeplitzLikeDenseForm.ProjectColumns"/>), then c_0's through FFTs,
    /// <c>∂g_j += ½ Z_1(J h_j)ᵀ λ_0</c> and <c>∂(J h_j) += ½ Z_1(g_j)ᵀ λ_0</c> with <c>Z_1(v)ᵀ w = Re IFFT(conj(FFT v) ⊙ FFT w)</c>,
    /// two generators per transform: <c>IFFT(conj(FFT(v_a − i·v_b)) ⊙ Λ̂) = Z_1(v_a)ᵀλ + i·Z_1(v_b)ᵀλ</c>.
    /// </summary>
    /// <param name="parameters">The generators.</param>
    /// <param name="spectra">This matrix's prepared cache.</param>
    /// <param name="dDense">The dense gradient.</param>
    /// <param name="rowStride">Floats between rows of <paramref name="dDense"/>.</param>
    /// <param name="dParameters">∂G, ∂H; added to.</param>
    /// <param name="scratch">At least <see cref="ProjectScratchLength"/> floats.</param>
    internal void ProjectDense(ReadOnlySpan<float> parameters, ReadOnlySpan<float> spectra, ReadOnlySpan<float> dDense, int rowStride, Span<float> dParameters, Span<float> scratch)
    {
        int size = EmbeddingSize, r = DisplacementRank;
        ReadOnlySpan<float> h = _blocks[1].Slice(parameters);
        Span<float> dG = _blocks[0].Slice(dParameters), dH = _blocks[1].Slice(dParameters);
        Span<float> lambda = scratch[..size];
        Span<float> lRe = scratch.Slice(size, size), lIm = scratch.Slice(2 * size, size);
        Span<float> tRe = scratch.Slice(3 * size, size), tIm = scratch.Slice(4 * size, size);
        Span<float> fftScratch = scratch[(5 * size)..];
        ToeplitzLikeDenseForm.ProjectColumns(_blocks[0].Slice(parameters), h, r, OutputSize, InputSize, dDense, rowStride, dG, dH, lambda);

        lambda.CopyTo(lRe);
        lIm.Clear();
        _plan.Forward(lRe, lIm, fftScratch); // Λ̂
        float scale = 0.5f / size;
        for (int p = 0; p < PairCount; p++)
        {
            int a = 2 * p, b = a + 1;

            // Ĝ_p = FFT(g_a − i·g_b): N·(Z_1(g_a)ᵀλ + i·Z_1(g_b)ᵀλ), reversed into ∂h (∂(J h_j) = ½ Z_1(g_j)ᵀ λ_0).
            ComplexSpans.Multiply(GSpectrum(spectra, p, false), GSpectrum(spectra, p, true), lRe, lIm, tRe, tIm, conjugateA: true, accumulate: false);
            _plan.Inverse(tRe, tIm, fftScratch);
            for (int q = 0; q < size; q++)
            {
                dH[(a * size) + q] += scale * tRe[size - 1 - q];
                if (b < r)
                {
                    dH[(b * size) + q] += scale * tIm[size - 1 - q];
                }
            }

            // FFT(J h_a − i·J h_b): N·(Z_1(J h_a)ᵀλ + i·Z_1(J h_b)ᵀλ) into ∂g.
            ReversedPair(h, p, tRe, tIm, imaginarySign: -1f);
            _plan.Forward(tRe, tIm, fftScratch);
            ComplexSpans.Multiply(tRe, tIm, lRe, lIm, tRe, tIm, conjugateA: true, accumulate: false);
            _plan.Inverse(tRe, tIm, fftScratch);
            TensorPrimitives.MultiplyAdd(tRe, scale, dG.Slice(a * size, size), dG.Slice(a * size, size));
            if (b < r)
            {
                TensorPrimitives.MultiplyAdd(tIm, scale, dG.Slice(b * size, size), dG.Slice(b * size, size));
            }
        }
    }

    /// <summary>re = J h_a, im = sign·J h_b (zero for a lone last generator).</summary>
    private void ReversedPair(ReadOnlySpan<float> h, int pair, Span<float> re, Span<float> im, float imaginarySign)
    {
        int size = EmbeddingSize, a = 2 * pair, b = a + 1;
        for (int k = 0; k < size; k++)
        {
            re[k] = h[(a * size) + size - 1 - k];
            im[k] = b < DisplacementRank ? imaginarySign * h[(b * size) + size - 1 - k] : 0f;
        }
    }

    /// <inheritdoc />
    private protected override void ProjectDenseGradient(GateMatrixWeights weights, ReadOnlySpan<float> dDense, Span<float> dParameters, Span<float> scratch)
        => ProjectDense(weights.Parameters, weights.Cache, dDense, InputSize, dParameters, scratch);
}
