using System;

namespace CompactRnn.Speech.Decoding;

/// <summary>
/// Any frame classifier (an LSTM acoustic model, an oracle, …) that maps normalised features to per-frame
/// log-posteriors over the dataset's phone classes.
/// </summary>
public interface IFramePosteriorSource
{
    /// <summary>Number of classes per frame.</summary>
    int ClassCount { get; }

    /// <summary>
    /// Writes log P(class | frames) for each frame into <paramref name="logPosteriors"/>, row-major
    /// [frames, ClassCount], from normalised features row-major [frames, featureDimension].
    /// </summary>
    void ComputeLogPosteriors(ReadOnlySpan<float> normalizedFeatures, int frames, Span<float> logPosteriors);
}
