using System;
using System.Collections.Generic;
using CompactRnn.Speech.Data;

namespace CompactRnn.Speech.Scoring;

/// <summary>Names of the evaluation sets as printed, stored in hypothesis tables and accepted by <c>eval --split</c>.</summary>
public static class EvaluationSets
{
    /// <summary>Every split with its set name, in enum order.</summary>
    public static IReadOnlyList<(DatasetSplit Split, string Name)> All { get; } =
    [
        (DatasetSplit.Train, "train"),
        (DatasetSplit.Dev, "dev"),
        (DatasetSplit.Test, "test"),
        (DatasetSplit.TestAccent, "test-accent"),
        (DatasetSplit.CrossSynth, "cross-synth"),
    ];

    /// <summary>The set name of <paramref name="split"/>.</summary>
    public static string NameOf(DatasetSplit split)
    {
        foreach ((DatasetSplit s, string name) in All)
        {
            if (s == split)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown split.");
    }

    /// <summary>The split called <paramref name="name"/>, or null if no split has that name.</summary>
    public static DatasetSplit? Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach ((DatasetSplit s, string n) in All)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                return s;
            }
        }

        return null;
    }
}
