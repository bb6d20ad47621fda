using System;
using System.Numerics.Tensors;
using CompactRnn.Kernels;

namespace CompactRnn.GateMatrices;

/// <content>Helpers of the FFT path: input transform, skew-circulant products, generator gradients, buffer layout.</content>
public sealed partial class ToeplitzLikeGateMatrix
{
    /// <summary>Writes FFT(η ⊙ x) for x zero-padded to N.</summary>
    private void TransformInput(ReadOnlySpan<float> x, Span<float> re, Span<float> im, Span<float> scratch)
    {
        int n = x.Length;
        TensorPrimitives.Multiply(Skew.EtaRe[..n], x, re[..n]);
        TensorPrimitives.Multiply(Skew.EtaIm[..n], x, im[..n]);
        re[n..].Clear();
        im[n..].Clear();
        _plan.Forward(re, im, scratch);
    }

    /// <summary>t = FFT(u_a + i·u_b) with u_a + i·u_b = conj(η) ⊙ IFFT(Ĥ_p ⊙ X̂), i.e. u_j = Z_{−1}(J h_j) x.</summary>
    private void SkewProductSpectrum(ReadOnlySpan<float> cache, int pair, Buffers buffers)
    {
        ComplexSpans.Multiply(HSpectrum(cache, pair, false), HSpectrum(cache, pair, true), buffers.XRe, buffers.XIm, buffers.TRe, buffers.TIm, conjugateA: false, accumulate: false);
        _plan.Inverse(buffers.TRe, buffers.TIm, buffers.Scratch);
        ComplexSpans.Multiply(Skew.ConjScaledRe, Skew.ConjScaledIm, buffers.TRe, buffers.TIm, buffers.TRe, buffers.TIm, conjugateA: false, accumulate: false);
        _plan.Forward(buffers.TRe, buffers.TIm, buffers.Scratch);
    }

    /// <summary>Turns the batch-summed spectra into ∂G (½·Re/−Im of IFFT, /N) and ∂H (½·J·Re/−Im of η ⊙ FFT, /N²).</summary>
    private void AccumulateGeneratorGradients(Buffers buffers, Span<float> dParameters)
    {
        int size = EmbeddingSize, r = DisplacementRank;
        Span<float> dG = _blocks[0].Slice(dParameters);
        Span<float> dH = _blocks[1].Slice(dParameters);
        float gScale = 0.5f / size, hScale = 0.5f / ((float)size * size);
        for (int p = 0; p < PairCount; p++)
        {
            int a = 2 * p, b = a + 1;
            Span<float> re = buffers.GAccRe(p), im = buffers.GAccIm(p);
            _plan.Inverse(re, im, buffers.Scratch);
            TensorPrimitives.MultiplyAdd(re, gScale, dG.Slice(a * size, size), dG.Slice(a * size, size));   // ∂g_a = ½ Z_1(u_a)ᵀδ
            if (b < r)
            {
                TensorPrimitives.MultiplyAdd(im, -gScale, dG.Slice(b * size, size), dG.Slice(b * size, size)); // ∂g_b = ½ Z_1(u_b)ᵀδ
            }

            re = buffers.HAccRe(p);
            im = buffers.HAccIm(p);
            _plan.Forward(re, im, buffers.Scratch);
            ComplexSpans.Multiply(Skew.EtaRe, Skew.EtaIm, re, im, re, im, conjugateA: false, accumulate: false);
            for (int k = 0; k < size; k++)
            {
                dH[(a * size) + size - 1 - k] += hScale * re[k];      // ∂h_a = ½ J Z_{−1}(x)ᵀ z_a
                if (b < r)
                {
                    dH[(b * size) + size - 1 - k] -= hScale * im[k]; // ∂h_b = ½ J Z_{−1}(x)ᵀ z_b
                }
            }
        }
    }

    /// <summary>Named slices of the caller's workspace: complex buffers of length N, split re/im.</summary>
    private readonly ref struct Buffers
    {
        private readonly Span<float> _workspace;
        private readonly int _size;

        public Buffers(Span<float> workspace, int size, int pairCount)
        {
            _workspace = workspace;
            _size = size;
            GradientSpectra = workspace.Slice(10 * size, 4 * pairCount * size);
            Scratch = workspace[((10 + (4 * pairCount)) * size)..];
        }

        public Span<float> XRe => Part(0);      // X̂ = FFT(η ⊙ x)

        public Span<float> XIm => Part(1);

        public Span<float> TRe => Part(2);      // per-pair spectra

        public Span<float> TIm => Part(3);

        public Span<float> AccRe => Part(4);    // forward acc, backward Σ_p Ĥ_p ⊙ conj(V_p)

        public Span<float> AccIm => Part(5);

        public Span<float> DRe => Part(6);      // Δ̂ = FFT(δ)

        public Span<float> DIm => Part(7);

        public Span<float> ZRe => Part(8);      // z pair, then V

        public Span<float> ZIm => Part(9);

        public Span<float> GradientSpectra { get; }  // [pair][gacc re, gacc im, hacc re, hacc im][N]

        public Span<float> Scratch { get; }

        public Span<float> GAccRe(int pair) => GradientSpectra.Slice(4 * pair * _size, _size);

        public Span<float> GAccIm(int pair) => GradientSpectra.Slice(((4 * pair) + 1) * _size, _size);

        public Span<float> HAccRe(int pair) => GradientSpectra.Slice(((4 * pair) + 2) * _size, _size);

        public Span<float> HAccIm(int pair) => GradientSpectra.Slice(((4 * pair) + 3) * _size, _size);

        private Span<float> Part(int index) => _workspace.Slice(index * _size, _size);
    }
}
