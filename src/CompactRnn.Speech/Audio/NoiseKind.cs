namespace CompactRnn.Speech.Audio;

/// <summary>The kind of additive noise mixed into an utterance.</summary>
public enum NoiseKind
{
    /// <summary>No noise added.</summary>
    Clean = 0,

    /// <summary>Gaussian white noise (flat spectrum).</summary>
    White = 1,

    /// <summary>Pink noise (−3 dB per octave).</summary>
    Pink = 2,

    /// <summary>Babble: a sum of other utterances.</summary>
    Babble = 3,
}
