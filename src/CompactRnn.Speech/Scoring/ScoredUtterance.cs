using System;
using System.Collections.Generic;
using CompactRnn.Speech.Metrics;

namespace CompactRnn.Speech.Scoring;

/// <summary>
/// One decoded utterance: its identity, the blocks it belongs to (speaker/voice for the bootstrap, accent
/// and set for breakdowns), the reference and hypothesis words and their edit counts.
/// </summary>
public sealed class ScoredUtterance
{
    private readonly string[] _reference;
    private readonly string[] _hypothesis;

    /// <summary>Aligns <paramref name="hypothesis"/> to <paramref name="reference"/> and keeps both.</summary>
    /// <param name="id">Utterance id, unique within a scoring run (pairs two models' results).</param>
    /// <param name="set">Evaluation set name, e.g. <c>test</c>, <c>test-accent</c>, <c>cross-synth</c>.</param>
    /// <param name="speaker">Speaker (voice) id: the bootstrap resamples whole speakers.</param>
    /// <param name="accent">Accent (or synthesiser) group for per-accent WER.</param>
    /// <param name="reference">Reference words.</param>
    /// <param name="hypothesis">Decoded words.</param>
    public ScoredUtterance(string id, string set, string speaker, string accent, IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(set);
        ArgumentNullException.ThrowIfNull(speaker);
        ArgumentNullException.ThrowIfNull(accent);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(hypothesis);
        Id = id;
        Set = set;
        Speaker = speaker;
        Accent = accent;
        _reference = [.. reference];
        _hypothesis = [.. hypothesis];
        Errors = WordErrorRate.Compute(_reference, _hypothesis);
    }

    /// <summary>Utterance id.</summary>
    public string Id { get; }

    /// <summary>Evaluation set name.</summary>
    public string Set { get; }

    /// <summary>Speaker (voice) id; the bootstrap block.</summary>
    public string Speaker { get; }

    /// <summary>Accent (or synthesiser) group.</summary>
    public string Accent { get; }

    /// <summary>Reference words.</summary>
    public IReadOnlyList<string> Reference => _reference;

    /// <summary>Hypothesis words.</summary>
    public IReadOnlyList<string> Hypothesis => _hypothesis;

    /// <summary>Substitutions, deletions, insertions and reference length.</summary>
    public EditCounts Errors { get; }

    /// <summary>
    /// The accent part of a speaker id of the form <c>accent+variant</c> (the whole id when it has no '+').
    /// </summary>
    public static string AccentOfSpeaker(string speaker)
    {
        ArgumentNullException.ThrowIfNull(speaker);
        int plus = speaker.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? speaker : speaker[..plus];
    }
}
