namespace CompactRnn.Speech.Decoding;

/// <summary>
/// Tunable parameters of <see cref="DigitLoopDecoder"/> (tune on the dev split). A path's score is
/// Σ_t AcousticScale·(log P(s_t | x_t) − PriorScale·log P(s_t)) − WordInsertionPenalty·(number of words).
/// </summary>
public sealed record DecoderOptions
{
    /// <summary>Weight κ on the scaled log-likelihoods; default 1.</summary>
    public float AcousticScale { get; init; } = 1f;

    /// <summary>Exponent on the class priors when dividing them out (1 = hybrid NN/HMM scaled likelihood).</summary>
    public float PriorScale { get; init; } = 1f;

    /// <summary>Log-domain cost charged per hypothesised word; larger values trade insertions for deletions.</summary>
    public float WordInsertionPenalty { get; init; } = 4f;

    /// <summary>Minimum frames each phone sub-state occupies (a left-to-right chain of this many HMM states, the last with a self-loop).</summary>
    public int MinimumFramesPerState { get; init; } = 1;
}
