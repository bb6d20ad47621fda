using System;

namespace CompactRnn.Compression;

/// <summary>One layer's moments of its gate-matrix inputs z_t = [x_t; r_{t−1}] (<see cref="ActivationMoments"/>).</summary>
/// <param name="Second">Σ_t z_t z_tᵀ, p×p row-major.</param>
/// <param name="Sum">Σ_t z_t.</param>
internal sealed record LayerMoments(double[] Second, double[] Sum)
{
    /// <summary>The number of frames T.</summary>
    public long Frames { get; set; }

    /// <summary>The mean μ = s / T.</summary>
    public double[] Mean() => Array.ConvertAll(Sum, v => v / Math.Max(1, Frames));

    /// <summary>The centred second moment Σ_t (z_t − μ)(z_t − μ)ᵀ = C − T μ μᵀ, p×p row-major.</summary>
    public double[] Centred()
    {
        int p = Sum.Length;
        double[] centred = (double[])Second.Clone();
        double[] mean = Mean();
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                centred[(i * p) + j] -= Frames * mean[i] * mean[j];
            }
        }

        return centred;
    }
}
