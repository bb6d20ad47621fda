namespace CompactRnn.Speech.Decoding;

/// <summary>
/// Tunable parameters of <see cref="DigitLoopDecoder"/> (tune on the dev split). A path's score is
/// Σ_t AcousticScale·(log P(s_t | x_t) − PriorScale·log P(s_t)) − WordInsertionPenalty·(number of words).
/// The defaults were chosen on the dev split of the default dataset with a linear frame classifier over
/// ±5 frames of context (dev WER ≈ 18–20 %): only the ratio penalty/scale matters, and values between 10
/// and 50 were within 1 % WER; two frames per state cut insertions by half, three cost many deletions.
/// </summary>
public sealed record DecoderOptions
{
    /// <summary>Weight κ on the scaled log-likelihoods; default 1.</summary>
    public float AcousticScale { get; init; } = 0.5f;

    /// <summary>Exponent on the class priors when dividing them out (1 = hybrid NN/HMM scaled likelihood).</summary>
    public float PriorScale { get; init; } = 1f;

    /// <summary>Log-domain cost charged per hypothesised word; larger values trade insertions for deletions.</summary>
    public float WordInsertionPenalty { get; init; } = 8f;

    /// <summary>Minimum frames each phone sub-state occupies (a left-to-right chain of this many HMM states, the last with a self-loop).</summary>
    public int MinimumFramesPerState { get; init; } = 2;

    /// <summary>
    /// Settings for one-hot posteriors made from frame labels: the labeller guarantees each sub-state only
    /// one frame, so exact decoding of labels needs <see cref="MinimumFramesPerState"/> = 1.
    /// </summary>
    public static DecoderOptions Oracle { get; } = new() { AcousticScale = 1f, WordInsertionPenalty = 4f, MinimumFramesPerState = 1 };
}
