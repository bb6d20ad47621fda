using System;
using System.Collections.Generic;

namespace CompactRnn.Speech.Data;

/// <summary>
/// Per-dimension mean μ_d and standard deviation σ_d of the training features; normalised features are
/// (x − μ_d)/σ_d. Accumulated in double precision.
/// </summary>
public sealed class NormalizationStatistics
{
    private readonly float[] _mean;
    private readonly float[] _deviation;

    /// <summary>Smallest deviation accepted (1e-6); <see cref="Estimate"/> floors at 1e-3.</summary>
    public const float MinDeviation = 1e-6f;

    /// <summary>Creates statistics from per-dimension finite means and finite deviations ≥ <see cref="MinDeviation"/>.</summary>
    public NormalizationStatistics(IReadOnlyList<float> mean, IReadOnlyList<float> deviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(deviation);
        if (mean.Count != deviation.Count || mean.Count == 0)
        {
            throw new ArgumentException($"Mean ({mean.Count}) and deviation ({deviation.Count}) lengths must match and be positive.", nameof(deviation));
        }

        for (int d = 0; d < mean.Count; d++)
        {
            if (!float.IsFinite(mean[d]) || !float.IsFinite(deviation[d]) || !(deviation[d] >= MinDeviation))
            {
                throw new ArgumentException($"Dimension {d}: mean {mean[d]} and deviation {deviation[d]} must be finite, deviation at least {MinDeviation}.", nameof(deviation));
            }
        }

        _mean = [.. mean];
        _deviation = [.. deviation];
    }

    /// <summary>Number of dimensions.</summary>
    public int Dimension => _mean.Length;

    /// <summary>Per-dimension means.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>Per-dimension standard deviations.</summary>
    public IReadOnlyList<float> Deviation => _deviation;

    /// <summary>Identity statistics (mean 0, deviation 1).</summary>
    public static NormalizationStatistics Identity(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var mean = new float[dimension];
        var deviation = new float[dimension];
        Array.Fill(deviation, 1f);
        return new NormalizationStatistics(mean, deviation);
    }

    /// <summary>Estimates statistics from row-major feature matrices; σ is floored at 1e-3.</summary>
    public static NormalizationStatistics Estimate(IEnumerable<float[]> featureMatrices, int dimension)
    {
        ArgumentNullException.ThrowIfNull(featureMatrices);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var sum = new double[dimension];
        var sumSquares = new double[dimension];
        long frames = 0;
        foreach (float[] matrix in featureMatrices)
        {
            for (int i = 0; i < matrix.Length; i++)
            {
                int d = i % dimension;
                sum[d] += matrix[i];
                sumSquares[d] += (double)matrix[i] * matrix[i];
            }

            frames += matrix.Length / dimension;
        }

        if (frames == 0)
        {
            return Identity(dimension);
        }

        var mean = new float[dimension];
        var deviation = new float[dimension];
        for (int d = 0; d < dimension; d++)
        {
            double mu = sum[d] / frames;
            double variance = Math.Max(0.0, (sumSquares[d] / frames) - (mu * mu));
            mean[d] = (float)mu;
            deviation[d] = (float)Math.Max(1e-3, Math.Sqrt(variance));
        }

        return new NormalizationStatistics(mean, deviation);
    }

    /// <summary>Normalises row-major features in place.</summary>
    public void Apply(Span<float> features)
    {
        if (features.Length % Dimension != 0)
        {
            throw new ArgumentException($"Length {features.Length} is not a multiple of {Dimension}.", nameof(features));
        }

        for (int i = 0; i < features.Length; i++)
        {
            int d = i % Dimension;
            features[i] = (features[i] - _mean[d]) / _deviation[d];
        }
    }
}
