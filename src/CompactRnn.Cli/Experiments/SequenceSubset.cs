using System;
using System.Collections.Generic;
using CompactRnn.Training;

namespace CompactRnn.Cli.Experiments;

/// <summary>A view of some utterances of a dataset, by index, without copying their features.</summary>
/// <param name="source">The dataset viewed.</param>
/// <param name="indices">Indices into <paramref name="source"/>, in the view's order.</param>
internal sealed class SequenceSubset(ISequenceDataset source, IReadOnlyList<int> indices) : ISequenceDataset
{
    public int Count => indices.Count;

    public int FeatureSize => source.FeatureSize;

    public int SequenceLength(int index) => source.SequenceLength(indices[index]);

    public void ReadFeatures(int index, Span<float> features) => source.ReadFeatures(indices[index], features);

    public void ReadLabels(int index, Span<int> labels) => source.ReadLabels(indices[index], labels);
}
