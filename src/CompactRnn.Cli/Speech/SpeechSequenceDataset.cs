using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Speech.Data;
using CompactRnn.Training;

namespace CompactRnn.Cli.Speech;

/// <summary>
/// Frame-labelled utterances of a <see cref="SpeechDataset"/> as an <see cref="ISequenceDataset"/>:
/// normalised log-mel frames (train-split statistics) and one phone-state label per 10 ms frame.
/// Features are decoded once and kept.
/// </summary>
internal sealed class SpeechSequenceDataset : ISequenceDataset
{
    private readonly float[][] _features;
    private readonly int[][] _labels;

    public SpeechSequenceDataset(SpeechDataset dataset, IReadOnlyList<Utterance> utterances)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(utterances);
        Dataset = dataset;
        Utterances = utterances;
        _features = utterances.Select(dataset.GetNormalizedFeatures).ToArray();
        _labels = utterances.Select(u => u.HasFrameLabels ? u.FrameLabels.ToArray() : []).ToArray();
    }

    public SpeechDataset Dataset { get; }

    public IReadOnlyList<Utterance> Utterances { get; }

    public int Count => _features.Length;

    public int FeatureSize => Dataset.FeatureDimension;

    public long FrameCount => Utterances.Sum(u => (long)u.FrameCount);

    public int SequenceLength(int index) => Utterances[index].FrameCount;

    public void ReadFeatures(int index, Span<float> features) => _features[index].CopyTo(features);

    public void ReadLabels(int index, Span<int> labels)
    {
        if (_labels[index].Length == 0)
        {
            throw new InvalidOperationException($"Utterance '{Utterances[index].Id}' has no frame labels (an evaluation-only set cannot be trained on).");
        }

        _labels[index].CopyTo(labels);
    }

    public ReadOnlySpan<float> Features(int index) => _features[index];
}
