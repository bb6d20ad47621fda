using System;
using System.Linq;
using CompactRnn.Training;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>Random sequences (equal lengths, or lengths given) with random frame labels, in memory (the trainer's data interface).</summary>
internal sealed class RandomSequenceDataset : ISequenceDataset
{
    private readonly float[] _features;
    private readonly int[] _labels;
    private readonly int _steps;
    private readonly int[]? _lengths;

    /// <summary>Sequences of the given lengths (each stored at the longest one's size).</summary>
    public RandomSequenceDataset(int[] lengths, int featureSize, int classes, int seed)
        : this(lengths.Length, lengths.Max(), featureSize, classes, seed)
        => _lengths = lengths;

    public RandomSequenceDataset(int count, int steps, int featureSize, int classes, int seed)
    {
        Count = count;
        FeatureSize = featureSize;
        _steps = steps;
        _features = RandomData.Uniform(count * steps * featureSize, seed);
        _labels = new int[count * steps];
        var random = new Random(seed);
        for (int k = 0; k < _labels.Length; k++)
        {
            _labels[k] = random.Next(classes);
        }
    }

    public int Count { get; }

    public int FeatureSize { get; }

    public int SequenceLength(int index) => _lengths?[index] ?? _steps;

    /// <summary>The frames of every sequence.</summary>
    public long FrameCount => _lengths?.Sum(x => (long)x) ?? ((long)Count * _steps);

    public void ReadFeatures(int index, Span<float> features)
        => _features.AsSpan(index * _steps * FeatureSize, SequenceLength(index) * FeatureSize).CopyTo(features);

    public void ReadLabels(int index, Span<int> labels) => _labels.AsSpan(index * _steps, SequenceLength(index)).CopyTo(labels);
}
