using System;
using System.Collections.Generic;
using CompactRnn.Speech.Audio;
using CompactRnn.Speech.Data;

namespace CompactRnn.CorpusGen.Generation;

/// <summary>
/// Draws every utterance's parameters from one seeded stream, in index order: the speaker (30 % of dev and
/// test utterances use the split's held-out accent), speed 110–230 wpm, pitch 10–90, 1–7 words from the
/// 11-word digit vocabulary, noise (25 % clean, otherwise white, pink or babble at 5–30 dB SNR), a gain
/// of −6…+3 dB and 50–300 ms of silence before and after the speech (espeak-ng itself leaves almost none).
/// </summary>
internal static class UtterancePlanner
{
    /// <summary>The digit vocabulary, in lexicon order.</summary>
    public static readonly IReadOnlyList<string> Vocabulary = ["zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    private const double HeldOutAccentShare = 0.3;
    private const double CleanShare = 0.25;

    public static UtterancePlan[] Plan(CorpusSettings settings)
    {
        var random = new Random(settings.Seed);
        var plans = new UtterancePlan[settings.TotalCount];
        for (int i = 0; i < plans.Length; i++)
        {
            DatasetSplit split = i < settings.TrainCount ? DatasetSplit.Train
                : i < settings.TrainCount + settings.DevCount ? DatasetSplit.Dev
                : DatasetSplit.Test;
            (string Name, string Voice)? heldOut = VoiceCatalog.HeldOutAccent(split);
            (string Name, string Voice) accent = heldOut is not null && random.NextDouble() < HeldOutAccentShare
                ? heldOut.Value
                : VoiceCatalog.TrainAccents[random.Next(VoiceCatalog.TrainAccents.Count)];
            IReadOnlyList<string> variants = VoiceCatalog.Variants(split);
            string variant = variants[random.Next(variants.Count)];
            int speed = random.Next(110, 231);
            int pitch = random.Next(10, 91);
            var words = new string[random.Next(1, 8)];
            for (int w = 0; w < words.Length; w++)
            {
                words[w] = Vocabulary[random.Next(Vocabulary.Count)];
            }

            NoiseKind noise = random.NextDouble() < CleanShare ? NoiseKind.Clean : (NoiseKind)random.Next(1, 4);
            double snr = 5.0 + (25.0 * random.NextDouble());
            double gain = -6.0 + (9.0 * random.NextDouble());
            double leading = 0.05 + (0.25 * random.NextDouble());
            double trailing = 0.05 + (0.25 * random.NextDouble());
            plans[i] = new UtterancePlan(i, split, $"{accent.Name}+{variant}", $"{accent.Voice}+{variant}", speed, pitch, words, noise, snr, gain, leading, trailing, random.Next());
        }

        return plans;
    }
}
