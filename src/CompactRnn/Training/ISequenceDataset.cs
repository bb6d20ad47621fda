using System;
using CompactRnn.Models;

namespace CompactRnn.Training;

/// <summary>
/// A labelled set of variable-length sequences, read one sequence at a time. Frame-level tasks give a
/// label per frame; sequence-level tasks (<see cref="OutputMode.LastFrame"/>) one label per sequence.
/// </summary>
public interface ISequenceDataset
{
    /// <summary>The number of sequences.</summary>
    int Count { get; }

    /// <summary>Features per frame (the network's input size).</summary>
    int FeatureSize { get; }

    /// <summary>The number of frames of sequence <paramref name="index"/> (at least 1).</summary>
    int SequenceLength(int index);

    /// <summary>Writes sequence <paramref name="index"/>'s frames, [T, FeatureSize] row-major.</summary>
    void ReadFeatures(int index, Span<float> features);

    /// <summary>Writes its labels: T frame labels, or one sequence label when <paramref name="labels"/> has length 1.</summary>
    void ReadLabels(int index, Span<int> labels);
}
