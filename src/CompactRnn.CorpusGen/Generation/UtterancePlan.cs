using System.Collections.Generic;
using CompactRnn.Speech.Audio;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.CorpusGen.Generation;

/// <summary>Everything drawn for one utterance before synthesis (so the draw order never depends on threads).</summary>
internal sealed record UtterancePlan(
    int Index,
    DatasetSplit Split,
    string Speaker,
    SynthesisEngine Engine,
    string Voice,
    int WordsPerMinute,
    int Pitch,
    IReadOnlyList<string> Words,
    Conditions Conditions,
    NoiseKind Noise,
    double SnrDb,
    double GainDb,
    double LeadingSilenceSeconds,
    double TrailingSilenceSeconds,
    int NoiseSeed)
{
    /// <summary>Utterance identifier, e.g. <c>train-00042</c> or <c>cross-synth-24001</c>.</summary>
    public string Id => $"{EvaluationSets.NameOf(Split)}-{Index:D5}";

    /// <summary>The text given to the synthesiser: the words separated by single spaces.</summary>
    public string Text => string.Join(' ', Words);
}
