using System;
using System.Collections.Generic;

namespace CompactRnn.Speech.Data;

/// <summary>
/// 8-bit affine quantisation per feature dimension: q = clamp(round((x − offset_d)/step_d), 0, 255),
/// x̂ = offset_d + step_d·q. The default covers log-mel values in [−16, 12] nats (step ≈ 0.11 nats ≈ 0.48 dB).
/// </summary>
public sealed class FeatureQuantizer
{
    private const float DefaultLow = -16f;
    private const float DefaultHigh = 12f;

    private readonly float[] _offset;
    private readonly float[] _step;

    /// <summary>Creates a quantiser from per-dimension offsets and (positive, finite) steps.</summary>
    public FeatureQuantizer(IReadOnlyList<float> offset, IReadOnlyList<float> step)
    {
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(step);
        if (offset.Count != step.Count || offset.Count == 0)
        {
            throw new ArgumentException($"Offset ({offset.Count}) and step ({step.Count}) lengths must match and be positive.", nameof(step));
        }

        for (int d = 0; d < step.Count; d++)
        {
            if (!float.IsFinite(offset[d]) || !float.IsFinite(step[d]) || step[d] <= 0f)
            {
                throw new ArgumentException($"Dimension {d}: offset {offset[d]} and step {step[d]} must be finite, step positive.", nameof(step));
            }
        }

        _offset = [.. offset];
        _step = [.. step];
    }

    /// <summary>Number of dimensions.</summary>
    public int Dimension => _offset.Length;

    /// <summary>Per-dimension offsets.</summary>
    public IReadOnlyList<float> Offset => _offset;

    /// <summary>Per-dimension steps.</summary>
    public IReadOnlyList<float> Step => _step;

    /// <summary>The fixed log-mel range used by the generator and the WAV importer.</summary>
    public static FeatureQuantizer CreateDefault(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var offset = new float[dimension];
        var step = new float[dimension];
        Array.Fill(offset, DefaultLow);
        Array.Fill(step, (DefaultHigh - DefaultLow) / 255f);
        return new FeatureQuantizer(offset, step);
    }

    /// <summary>Quantises row-major features [frames, dim].</summary>
    public byte[] Quantize(ReadOnlySpan<float> features)
    {
        if (features.Length % Dimension != 0)
        {
            throw new ArgumentException($"Length {features.Length} is not a multiple of {Dimension}.", nameof(features));
        }

        var result = new byte[features.Length];
        for (int i = 0; i < features.Length; i++)
        {
            int d = i % Dimension;
            float q = MathF.Round((features[i] - _offset[d]) / _step[d]);
            result[i] = (byte)Math.Clamp(q, 0f, 255f);
        }

        return result;
    }

    /// <summary>Reconstructs features from bytes into <paramref name="destination"/> (same length).</summary>
    public void Dequantize(ReadOnlySpan<byte> quantized, Span<float> destination)
    {
        if (destination.Length != quantized.Length || quantized.Length % Dimension != 0)
        {
            throw new ArgumentException($"Lengths {quantized.Length} and {destination.Length} must match and be multiples of {Dimension}.", nameof(destination));
        }

        for (int i = 0; i < quantized.Length; i++)
        {
            int d = i % Dimension;
            destination[i] = _offset[d] + (_step[d] * quantized[i]);
        }
    }
}
