namespace CompactRnn.CorpusGen.Generation;

/// <summary>The text-to-speech program that voices an utterance.</summary>
internal enum SynthesisEngine
{
    /// <summary>espeak-ng through libespeak-ng (in process, GPL-3+, loaded at run time).</summary>
    Espeak = 0,

    /// <summary>Festival (<c>festival --batch</c>, run as a separate program): diphone and HTS voices.</summary>
    Festival = 1,

    /// <summary>Flite (<c>flite</c>, run as a separate program): never used for training, only for the cross-synthesiser set.</summary>
    Flite = 2,
}
