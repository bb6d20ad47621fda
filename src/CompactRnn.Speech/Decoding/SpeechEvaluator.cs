using System;
using System.Collections.Generic;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Metrics;

namespace CompactRnn.Speech.Decoding;

/// <summary>
/// Runs a frame classifier over utterances, decodes each with a <see cref="DigitLoopDecoder"/> and
/// accumulates WER (S, D, I), sentence error rate, frame accuracy and phone error rate.
/// </summary>
public static class SpeechEvaluator
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="utterances"/> of <paramref name="dataset"/>.</summary>
    public static EvaluationResult Evaluate(SpeechDataset dataset, IReadOnlyList<Utterance> utterances, IFramePosteriorSource model, DigitLoopDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(utterances);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(decoder);
        if (model.ClassCount != decoder.ClassCount)
        {
            throw new ArgumentException($"Model has {model.ClassCount} classes, decoder expects {decoder.ClassCount}.", nameof(model));
        }

        var wer = new WordErrorRate();
        long frames = 0, correct = 0;
        var phoneErrors = default(EditCounts);
        foreach (Utterance utterance in utterances)
        {
            float[] features = dataset.GetNormalizedFeatures(utterance);
            var logPosteriors = new float[utterance.FrameCount * model.ClassCount];
            model.ComputeLogPosteriors(features, utterance.FrameCount, logPosteriors);
            wer.Add(utterance.Words, decoder.Decode(logPosteriors, utterance.FrameCount));
            if (utterance.HasFrameLabels)
            {
                frames += utterance.FrameCount;
                correct += FrameMetrics.CountCorrectFrames(logPosteriors, utterance.FrameLabels, model.ClassCount);
                phoneErrors += FrameMetrics.PhoneErrors(logPosteriors, utterance.FrameLabels, model.ClassCount, dataset.SilenceClass);
            }
        }

        return new EvaluationResult(wer.Totals, wer.Sentences, wer.SentenceErrors, frames, correct, phoneErrors);
    }
}
