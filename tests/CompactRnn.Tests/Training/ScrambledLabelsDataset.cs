using System;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

/// <summary>Another dataset's features with every label moved to the next class, so its labels teach the wrong task.</summary>
internal sealed class ScrambledLabelsDataset(ISequenceDataset inner, int classes) : ISequenceDataset
{
    public int Count => inner.Count;

    public int FeatureSize => inner.FeatureSize;

    public int SequenceLength(int index) => inner.SequenceLength(index);

    public void ReadFeatures(int index, Span<float> features) => inner.ReadFeatures(index, features);

    public void ReadLabels(int index, Span<int> labels)
    {
        inner.ReadLabels(index, labels);
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = (labels[i] + 1) % classes;
        }
    }
}
