namespace CompactRnn.Speech.Scoring;

/// <summary>A corpus WER with its speaker-block bootstrap percentile interval (rates as fractions, not %).</summary>
/// <param name="Name">What was scored (a set, an accent, or "all").</param>
/// <param name="WordErrorRate">(S + D + I)/N over the utterances.</param>
/// <param name="Lower">Lower end of the interval.</param>
/// <param name="Upper">Upper end of the interval.</param>
/// <param name="Errors">S + D + I.</param>
/// <param name="Words">N, reference words.</param>
/// <param name="Utterances">Utterances scored.</param>
/// <param name="Speakers">Speaker blocks (the bootstrap's sampling units).</param>
public sealed record WerEstimate(string Name, double WordErrorRate, double Lower, double Upper, long Errors, long Words, int Utterances, int Speakers);
