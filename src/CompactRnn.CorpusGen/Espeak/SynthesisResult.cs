using System.Collections.Generic;

namespace CompactRnn.CorpusGen.Espeak;

/// <summary>Audio (16-bit at <paramref name="SampleRate"/>) and phoneme events of one synthesised text.</summary>
internal sealed record SynthesisResult(short[] Samples, int SampleRate, IReadOnlyList<PhonemeEvent> Phonemes);
