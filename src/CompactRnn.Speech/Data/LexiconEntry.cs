using System;
using System.Collections.Generic;
using System.Linq;

namespace CompactRnn.Speech.Data;

/// <summary>A word and its pronunciation variants, each a sequence of phone class indices.</summary>
public sealed class LexiconEntry
{
    private readonly int[][] _pronunciations;

    /// <summary>Creates an entry; each variant must be non-empty.</summary>
    public LexiconEntry(string word, IEnumerable<IReadOnlyList<int>> pronunciations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(word);
        ArgumentNullException.ThrowIfNull(pronunciations);
        _pronunciations = [.. pronunciations.Select(p => p.ToArray())];
        if (_pronunciations.Length == 0 || _pronunciations.Any(p => p.Length == 0))
        {
            throw new ArgumentException($"Word '{word}' needs at least one non-empty pronunciation.", nameof(pronunciations));
        }

        Word = word;
    }

    /// <summary>The word's spelling.</summary>
    public string Word { get; }

    /// <summary>Pronunciation variants (phone class indices).</summary>
    public IReadOnlyList<IReadOnlyList<int>> Pronunciations => _pronunciations;
}
