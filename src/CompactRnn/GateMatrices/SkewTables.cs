using System;

namespace CompactRnn.GateMatrices;

/// <summary>
/// The tables of a Toeplitz-like matrix's skew-circulant products (docs/math.md §7): η_k = exp(iπk/N) and conj(η_k)/N
/// (which folds the inverse FFT's 1/N in), rounded once from double.
/// </summary>
internal sealed class SkewTables
{
    private readonly float[] _etaRe, _etaIm, _conjScaledRe, _conjScaledIm;

    /// <summary>Computes the tables for length <paramref name="size"/> ≥ 1.</summary>
    public SkewTables(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _etaRe = new float[size];
        _etaIm = new float[size];
        _conjScaledRe = new float[size];
        _conjScaledIm = new float[size];
        for (int k = 0; k < size; k++)
        {
            double angle = Math.PI * k / size;
            _etaRe[k] = (float)Math.Cos(angle);
            _etaIm[k] = (float)Math.Sin(angle);
            _conjScaledRe[k] = (float)(Math.Cos(angle) / size);
            _conjScaledIm[k] = (float)(-Math.Sin(angle) / size);
        }
    }

    /// <summary>Re η.</summary>
    public ReadOnlySpan<float> EtaRe => _etaRe;

    /// <summary>Im η.</summary>
    public ReadOnlySpan<float> EtaIm => _etaIm;

    /// <summary>Re conj(η)/N.</summary>
    public ReadOnlySpan<float> ConjScaledRe => _conjScaledRe;

    /// <summary>Im conj(η)/N.</summary>
    public ReadOnlySpan<float> ConjScaledIm => _conjScaledIm;

    /// <summary>Bytes of the four tables.</summary>
    public long Bytes => AllocatedBytes.Of(_etaRe, _etaIm, _conjScaledRe, _conjScaledIm);
}
