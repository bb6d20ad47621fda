using System;

namespace CompactRnn.Speech.Features;

/// <summary>
/// The standard ASR front end: 16 kHz input, 25 ms Hamming window (400 samples), 10 ms hop (160),
/// pre-emphasis 0.97, 512-point FFT power spectrum, 40 triangular mel filters (20 Hz – 8 kHz) and a
/// natural log with a floor: feature[t, m] = ln(max(Σ_k w_m(k)·|X_t(k)|², 1e-10)).
/// Frames are taken without padding: frame t covers samples [160·t, 160·t + 400), so a signal of
/// n ≥ 400 samples has 1 + ⌊(n − 400)/160⌋ frames. Input samples are floats on the [−1, 1] scale.
/// Not thread-safe: use one instance per thread.
/// </summary>
public sealed class LogMelExtractor
{
    /// <summary>Sample rate the front end expects, in Hz.</summary>
    public const int SampleRate = 16000;

    /// <summary>Window length in samples (25 ms).</summary>
    public const int FrameLength = 400;

    /// <summary>Hop between frames in samples (10 ms).</summary>
    public const int FrameShift = 160;

    /// <summary>FFT length.</summary>
    public const int FftSize = 512;

    /// <summary>Number of mel filters, i.e. the feature dimension.</summary>
    public const int FeatureDimension = 40;

    private const float PreEmphasis = 0.97f;
    private const float EnergyFloor = 1e-10f;

    private readonly RealFft _fft = new(FftSize);
    private readonly MelFilterBank _filters = new(FeatureDimension, FftSize, SampleRate, 20.0, 8000.0);
    private readonly float[] _window = new float[FrameLength];
    private readonly float[] _frame = new float[FftSize];
    private readonly float[] _power = new float[(FftSize / 2) + 1];

    /// <summary>Creates an extractor (precomputes the window and the filters).</summary>
    public LogMelExtractor()
    {
        for (int n = 0; n < FrameLength; n++)
        {
            _window[n] = (float)(0.54 - (0.46 * Math.Cos(2.0 * Math.PI * n / (FrameLength - 1))));
        }
    }

    /// <summary>Number of frames produced for <paramref name="sampleCount"/> samples (0 if shorter than one window).</summary>
    public static int FrameCount(int sampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        return sampleCount < FrameLength ? 0 : 1 + ((sampleCount - FrameLength) / FrameShift);
    }

    /// <summary>Computes log-mel features, row-major [frames, 40], of 16 kHz samples.</summary>
    public float[] Extract(ReadOnlySpan<float> samples)
    {
        int frames = FrameCount(samples.Length);
        var features = new float[frames * FeatureDimension];
        Span<float> energies = stackalloc float[FeatureDimension];
        for (int t = 0; t < frames; t++)
        {
            ReadOnlySpan<float> source = samples.Slice(t * FrameShift, FrameLength);

            // Remove the frame's DC offset, pre-emphasise, window; zero-pad to the FFT length.
            float mean = 0f;
            for (int n = 0; n < FrameLength; n++)
            {
                mean += source[n];
            }

            mean /= FrameLength;
            float previous = source[0] - mean;
            for (int n = FrameLength - 1; n >= 0; n--)
            {
                float current = source[n] - mean;
                float before = n > 0 ? source[n - 1] - mean : previous;
                _frame[n] = (current - (PreEmphasis * before)) * _window[n];
            }

            Array.Clear(_frame, FrameLength, FftSize - FrameLength);
            _fft.PowerSpectrum(_frame, _power);
            _filters.Apply(_power, energies);
            Span<float> row = features.AsSpan(t * FeatureDimension, FeatureDimension);
            for (int m = 0; m < FeatureDimension; m++)
            {
                row[m] = MathF.Log(MathF.Max(energies[m], EnergyFloor));
            }
        }

        return features;
    }
}
