namespace CompactRnn.CorpusGen.Generation;

/// <summary>
/// A speaker of the corpus: the engine, the engine's voice name and the speaker id stored with each
/// utterance (<c>accent+variant</c>, e.g. <c>en-us+m3</c>, <c>festival+kal</c>, <c>flite+awb</c>; the part
/// before '+' is the accent group of per-accent WER).
/// </summary>
internal sealed record Voice(SynthesisEngine Engine, string Speaker, string EngineVoice);
