namespace CompactRnn.Speech.Scoring;

/// <summary>
/// WER(A) − WER(B) on the same utterances, with a paired speaker-block bootstrap percentile interval
/// (fractions, not %). The difference is significant at the chosen level when the interval excludes 0.
/// </summary>
/// <param name="WerA">WER of model A.</param>
/// <param name="WerB">WER of model B.</param>
/// <param name="Difference">WerA − WerB.</param>
/// <param name="Lower">Lower end of the interval of the difference.</param>
/// <param name="Upper">Upper end of the interval of the difference.</param>
/// <param name="Words">Reference words shared by both.</param>
/// <param name="Speakers">Speaker blocks resampled.</param>
public sealed record PairedDifference(double WerA, double WerB, double Difference, double Lower, double Upper, long Words, int Speakers)
{
    /// <summary>True when the interval excludes zero.</summary>
    public bool ExcludesZero => Lower > 0.0 || Upper < 0.0;
}
