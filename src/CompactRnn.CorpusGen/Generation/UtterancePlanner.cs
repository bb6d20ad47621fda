using System;
using System.Collections.Generic;
using CompactRnn.Speech.Audio;
using CompactRnn.Speech.Data;

namespace CompactRnn.CorpusGen.Generation;

/// <summary>
/// Draws every utterance's parameters from one seeded stream, in index order (docs/speech-benchmark.md):
/// the voice (uniform over the set's voices of <see cref="VoiceCatalog"/>; in training a
/// <see cref="FestivalShare"/> of utterances use festival), speed 110–230 wpm, pitch 10–90, 1–7 words from
/// the 11-word digit vocabulary, the acoustic <see cref="Conditions"/>, noise (25 % clean, otherwise white,
/// pink or babble at 5–30 dB SNR), a gain of −6…+3 dB and 50–300 ms of silence before and after the speech.
/// Every set gets the same distribution of conditions, so test differs from training only in its voices.
/// </summary>
internal static class UtterancePlanner
{
    /// <summary>The digit vocabulary, in lexicon order.</summary>
    public static readonly IReadOnlyList<string> Vocabulary = ["zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>Share of training utterances voiced by festival.</summary>
    public const double FestivalShare = 0.2;

    /// <summary>Share of utterances with speed perturbation (factor uniform in 0.85–1.15).</summary>
    public const double SpeedShare = 0.5;

    /// <summary>Share with synthetic-RIR reverberation (RT60 uniform in 0.15–0.6 s).</summary>
    public const double ReverbShare = 0.2;

    /// <summary>Share with a first-order spectral tilt (b uniform in −0.4…0.4, about ±7 dB from DC to 8 kHz).</summary>
    public const double TiltShare = 0.5;

    /// <summary>Share with one peaking EQ band (centre log-uniform 200–4000 Hz, gain ±9 dB, Q 1).</summary>
    public const double EqShare = 0.3;

    /// <summary>Share band-limited to telephone bandwidth (16 kHz → 8 kHz → 16 kHz).</summary>
    public const double TelephoneShare = 0.15;

    private const double CleanShare = 0.25;

    public static UtterancePlan[] Plan(CorpusSettings settings)
    {
        var random = new Random(settings.Seed);
        var voices = new Dictionary<DatasetSplit, IReadOnlyList<Voice>>();
        foreach (DatasetSplit split in Enum.GetValues<DatasetSplit>())
        {
            voices[split] = split == DatasetSplit.CrossSynth ? VoiceCatalog.FliteVoices : VoiceCatalog.EspeakVoices(split);
        }

        var plans = new UtterancePlan[settings.TotalCount];
        for (int i = 0; i < plans.Length; i++)
        {
            DatasetSplit split = settings.SplitOf(i);
            IReadOnlyList<Voice> pool = split == DatasetSplit.Train && random.NextDouble() < FestivalShare ? VoiceCatalog.FestivalVoices : voices[split];
            Voice voice = pool[random.Next(pool.Count)];
            int speed = random.Next(110, 231);
            int pitch = random.Next(10, 91);
            var words = new string[random.Next(1, 8)];
            for (int w = 0; w < words.Length; w++)
            {
                words[w] = Vocabulary[random.Next(Vocabulary.Count)];
            }

            Conditions conditions = DrawConditions(random);
            NoiseKind noise = random.NextDouble() < CleanShare ? NoiseKind.Clean : (NoiseKind)random.Next(1, 4);
            double snr = 5.0 + (25.0 * random.NextDouble());
            double gain = -6.0 + (9.0 * random.NextDouble());
            double leading = 0.05 + (0.25 * random.NextDouble());
            double trailing = 0.05 + (0.25 * random.NextDouble());
            plans[i] = new UtterancePlan(i, split, voice.Speaker, voice.Engine, voice.EngineVoice, speed, pitch, words, conditions, noise, snr, gain, leading, trailing, random.Next());
        }

        return plans;
    }

    private static Conditions DrawConditions(Random random)
    {
        // Every draw happens whether or not it is used, so one condition's share never shifts the others.
        bool speed = random.NextDouble() < SpeedShare;
        double factor = 0.85 + (0.3 * random.NextDouble());
        bool reverb = random.NextDouble() < ReverbShare;
        double rt60 = 0.15 + (0.45 * random.NextDouble());
        bool tilt = random.NextDouble() < TiltShare;
        double b = -0.4 + (0.8 * random.NextDouble());
        bool eq = random.NextDouble() < EqShare;
        double centre = 200.0 * Math.Pow(20.0, random.NextDouble());
        double eqGain = -9.0 + (18.0 * random.NextDouble());
        bool telephone = random.NextDouble() < TelephoneShare;
        return new Conditions(speed ? factor : 1.0, reverb ? rt60 : 0.0, tilt ? b : 0.0, eq ? centre : 0.0, eq ? eqGain : 0.0, telephone);
    }
}
