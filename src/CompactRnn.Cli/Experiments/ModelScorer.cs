using System.Collections.Generic;
using CompactRnn.Cli.Speech;
using CompactRnn.Models;
using CompactRnn.Speech.Decoding;
using CompactRnn.Speech.Metrics;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// Scores a model on named sets: the decoder's acoustic scale and insertion penalty are tuned on dev (never on a
/// scored set other than dev), then every set is decoded once and every utterance's word errors kept.
/// </summary>
internal static class ModelScorer
{
    /// <summary>The scored sets, dev first, each under its name.</summary>
    public static IReadOnlyList<ScoredSet> Score(LstmModel model, SpeechSequenceDataset dev, IReadOnlyList<(string Name, SpeechSequenceDataset Data)> sets)
    {
        float[][] devPosteriors = AcousticScorer.LogPosteriors(model, dev);
        var decoder = DigitLoopDecoder.Create(dev.Dataset, DecoderTuning.Tune(dev.Dataset, dev, devPosteriors));
        var scored = new List<ScoredSet> { Decode("dev", dev, devPosteriors, decoder) };
        foreach (var (name, data) in sets)
        {
            scored.Add(Decode(name, data, AcousticScorer.LogPosteriors(model, data), decoder));
        }

        return scored;
    }

    private static ScoredSet Decode(string name, SpeechSequenceDataset data, float[][] posteriors, DigitLoopDecoder decoder)
    {
        EditCounts totals = default;
        int sentenceErrors = 0;
        long frames = 0, correct = 0;
        var utterances = new List<ScoredUtterance>(data.Count);
        for (int i = 0; i < data.Count; i++)
        {
            var utterance = data.Utterances[i];
            var scored = new ScoredUtterance(utterance.Id, name, utterance.Speaker, ScoredUtterance.AccentOfSpeaker(utterance.Speaker), utterance.Words,
                decoder.Decode(posteriors[i], utterance.FrameCount));
            totals += scored.Errors;
            sentenceErrors += scored.Errors.Errors > 0 ? 1 : 0;
            utterances.Add(scored);
            if (utterance.HasFrameLabels)
            {
                frames += utterance.FrameCount;
                correct += FrameMetrics.CountCorrectFrames(posteriors[i], utterance.FrameLabels, decoder.ClassCount);
            }
        }

        return new ScoredSet(name, totals, sentenceErrors, frames == 0 ? double.NaN : (double)correct / frames * 100, utterances);
    }
}
