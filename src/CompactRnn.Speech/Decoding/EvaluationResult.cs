using CompactRnn.Speech.Metrics;

namespace CompactRnn.Speech.Decoding;

/// <summary>Scores of a model on a set of utterances.</summary>
/// <param name="WordErrors">Corpus totals of substitutions, deletions and insertions over reference words.</param>
/// <param name="Sentences">Number of utterances scored.</param>
/// <param name="SentenceErrors">Utterances with at least one word error.</param>
/// <param name="Frames">Labelled frames scored (0 for data without frame labels).</param>
/// <param name="CorrectFrames">Frames whose arg-max class equals the label.</param>
/// <param name="PhoneErrors">Collapsed arg-max phone string against collapsed labels (zero counts without labels).</param>
public sealed record EvaluationResult(EditCounts WordErrors, int Sentences, int SentenceErrors, long Frames, long CorrectFrames, EditCounts PhoneErrors)
{
    /// <summary>Word error rate (S + D + I)/N.</summary>
    public double WordErrorRate => WordErrors.Rate;

    /// <summary>Fraction of utterances with any word error.</summary>
    public double SentenceErrorRate => Sentences == 0 ? 0.0 : (double)SentenceErrors / Sentences;

    /// <summary>Fraction of labelled frames classified correctly (NaN without labels).</summary>
    public double FrameAccuracy => Frames == 0 ? double.NaN : (double)CorrectFrames / Frames;

    /// <summary>Phone error rate (NaN without labels).</summary>
    public double PhoneErrorRate => PhoneErrors.ReferenceLength == 0 ? double.NaN : PhoneErrors.Rate;
}
