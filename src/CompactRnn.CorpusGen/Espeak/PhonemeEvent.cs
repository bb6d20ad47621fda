namespace CompactRnn.CorpusGen.Espeak;

/// <summary>An espeak-ng phoneme event: the mnemonic, its start sample at the synthesis rate and the text position (1-based character) of its word.</summary>
internal readonly record struct PhonemeEvent(string Mnemonic, int Sample, int TextPosition);
