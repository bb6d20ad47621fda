using System;
using System.Collections.Generic;

namespace CompactRnn.Speech.Data;

/// <summary>
/// One spoken digit string: quantised 40-dim log-mel frames (row-major [frames, dim], see
/// <see cref="FeatureQuantizer"/>), an optional phone label per frame, the word transcript and the speaker.
/// </summary>
public sealed class Utterance
{
    private readonly byte[] _quantizedFeatures;
    private readonly int[]? _frameLabels;
    private readonly string[] _words;

    /// <summary>Creates an utterance; arrays are taken over, not copied.</summary>
    public Utterance(string id, DatasetSplit split, string speaker, IReadOnlyList<string> words, int frameCount, int featureDimension, byte[] quantizedFeatures, int[]? frameLabels)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(speaker);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(quantizedFeatures);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureDimension, 1);
        if (!Enum.IsDefined(split))
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown split.");
        }

        if (quantizedFeatures.Length != frameCount * featureDimension)
        {
            throw new ArgumentException($"Feature length {quantizedFeatures.Length} is not {frameCount}·{featureDimension}.", nameof(quantizedFeatures));
        }

        if (frameLabels is not null && frameLabels.Length != frameCount)
        {
            throw new ArgumentException($"Label count {frameLabels.Length} differs from frame count {frameCount}.", nameof(frameLabels));
        }

        Id = id;
        Split = split;
        Speaker = speaker;
        _words = [.. words];
        FrameCount = frameCount;
        FeatureDimension = featureDimension;
        _quantizedFeatures = quantizedFeatures;
        _frameLabels = frameLabels;
    }

    /// <summary>A unique name within the dataset.</summary>
    public string Id { get; }

    /// <summary>The split.</summary>
    public DatasetSplit Split { get; }

    /// <summary>The speaker (voice) identifier, e.g. <c>en-us+m3</c>.</summary>
    public string Speaker { get; }

    /// <summary>The word transcript.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>Number of 10 ms frames.</summary>
    public int FrameCount { get; }

    /// <summary>Feature values per frame.</summary>
    public int FeatureDimension { get; }

    /// <summary>Quantised features, row-major [frames, dim].</summary>
    public ReadOnlySpan<byte> QuantizedFeatures => _quantizedFeatures;

    /// <summary>True when frame labels are present (generated data; not imported recordings).</summary>
    public bool HasFrameLabels => _frameLabels is not null;

    /// <summary>Phone class per frame; empty when <see cref="HasFrameLabels"/> is false.</summary>
    public ReadOnlySpan<int> FrameLabels => _frameLabels;

    /// <summary>Duration in seconds implied by the frame count (10 ms per frame).</summary>
    public double DurationSeconds => FrameCount * 0.01;
}
