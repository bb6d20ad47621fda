using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CompactRnn.CorpusGen.Espeak;
using CompactRnn.Speech.Audio;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Features;

namespace CompactRnn.CorpusGen.Generation;

/// <summary>
/// Builds a connected-digit dataset: plans every utterance from the seed, synthesises batches on one thread
/// (espeak-ng is not thread-safe), then resamples, adds noise and extracts features in parallel with one
/// random stream per utterance, so the output is identical for any thread count. Finally fixes the phone
/// inventory (silence, then mnemonics in ordinal order; three sub-state classes per phone), the lexicon (pronunciations observed in the training split per word,
/// most frequent first), the frame labels and the training-split normalisation statistics.
/// </summary>
internal static class CorpusGenerator
{
    private const int BatchSize = 256;
    private const int BabbleTalkers = 3;
    private const double DitherAmplitude = 1.0 / 32768.0;
    private const int StatesPerPhone = 3;

    public static SpeechDataset Generate(CorpusSettings settings, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        UtterancePlan[] plans = UtterancePlanner.Plan(settings);
        var processed = new ProcessedUtterance[plans.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        for (int batchStart = 0; batchStart < plans.Length; batchStart += BatchSize)
        {
            int count = Math.Min(BatchSize, plans.Length - batchStart);
            var synthesized = new SynthesisResult[count];
            for (int i = 0; i < count; i++)
            {
                UtterancePlan plan = plans[batchStart + i];
                synthesized[i] = EspeakSynthesizer.Synthesize(plan.Text, plan.Voice, plan.WordsPerMinute, plan.Pitch, (uint)plan.NoiseSeed);
            }

            var clean = new float[count][];
            Parallel.For(0, count, options, i =>
            {
                short[] raw = synthesized[i].Samples;
                var samples = new float[raw.Length];
                for (int n = 0; n < raw.Length; n++)
                {
                    samples[n] = raw[n] / 32768f;
                }

                clean[i] = AudioResampler.Resample(samples, synthesized[i].SampleRate, LogMelExtractor.SampleRate);
            });

            Parallel.For(0, count, options, () => new LogMelExtractor(), (i, _, extractor) =>
            {
                processed[batchStart + i] = Process(plans[batchStart + i], synthesized[i], clean, i, extractor);
                return extractor;
            }, _ => { });
            log?.Invoke($"synthesised {batchStart + count}/{plans.Length}");
        }

        return Assemble(settings, processed);
    }

    private static ProcessedUtterance Process(UtterancePlan plan, SynthesisResult synthesis, float[][] batchClean, int indexInBatch, LogMelExtractor extractor)
    {
        int leading = (int)Math.Round(plan.LeadingSilenceSeconds * LogMelExtractor.SampleRate);
        int trailing = (int)Math.Round(plan.TrailingSilenceSeconds * LogMelExtractor.SampleRate);
        float[] speech = batchClean[indexInBatch];
        var audio = new float[leading + speech.Length + trailing];
        speech.CopyTo(audio, leading);
        var random = new Random(plan.NoiseSeed);
        List<float[]>? babble = null;
        if (plan.Noise == NoiseKind.Babble)
        {
            babble = [];
            int others = batchClean.Length - 1;
            for (int k = 0; k < Math.Min(BabbleTalkers, others); k++)
            {
                int pick = random.Next(others);
                babble.Add(batchClean[pick >= indexInBatch ? pick + 1 : pick]);
            }
        }

        NoiseKind noise = plan.Noise == NoiseKind.Babble && babble!.Count == 0 ? NoiseKind.White : plan.Noise;
        NoiseMixer.AddNoise(audio, noise, plan.SnrDb, random, babble);
        NoiseMixer.ApplyGain(audio, plan.GainDb);
        NoiseMixer.AddDither(audio, DitherAmplitude, random);
        float[] features = extractor.Extract(audio);
        int frames = features.Length / LogMelExtractor.FeatureDimension;
        byte[] quantized = FeatureQuantizer.CreateDefault(LogMelExtractor.FeatureDimension).Quantize(features);
        var (segments, pronunciations) = PhoneEventAligner.Align(synthesis.Phonemes, synthesis.SampleRate, plan.Words, (double)leading / LogMelExtractor.SampleRate);
        return new ProcessedUtterance(plan, frames, quantized, segments, pronunciations, (double)audio.Length / LogMelExtractor.SampleRate);
    }

    private static SpeechDataset Assemble(CorpusSettings settings, ProcessedUtterance[] processed)
    {
        string[] phones =
        [
            SpeechDataset.SilencePhone,
            .. processed.SelectMany(p => p.Segments).Select(s => s.Phone)
                .Where(p => p != SpeechDataset.SilencePhone).Distinct().Order(StringComparer.Ordinal),
        ];
        var index = phones.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);

        var lexicon = new List<LexiconEntry>();
        foreach (string word in UtterancePlanner.Vocabulary)
        {
            // Training utterances only: a pronunciation heard only in dev or test must not reach the decoder.
            var variants = processed
                .Where(p => p.Plan.Split == DatasetSplit.Train)
                .SelectMany(p => p.Plan.Words.Zip(p.WordPronunciations))
                .Where(x => x.First == word && x.Second.Length > 0)
                .GroupBy(x => string.Join(' ', x.Second), StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (IReadOnlyList<int>)[.. g.First().Second.Select(m => index[m])])
                .ToList();
            if (variants.Count > 0)
            {
                lexicon.Add(new LexiconEntry(word, variants));
            }
        }

        var quantizer = FeatureQuantizer.CreateDefault(LogMelExtractor.FeatureDimension);
        var utterances = new Utterance[processed.Length];
        for (int u = 0; u < processed.Length; u++)
        {
            ProcessedUtterance p = processed[u];
            PhoneSegment[] segments = [.. p.Segments.Select(s => new PhoneSegment(index[s.Phone], s.StartSeconds))];
            int[] labels = FrameLabeler.Label(segments, p.FrameCount, StatesPerPhone);
            utterances[u] = new Utterance(p.Plan.Id, p.Plan.Split, p.Plan.Speaker, p.Plan.Words, p.FrameCount, LogMelExtractor.FeatureDimension, p.QuantizedFeatures, labels);
        }

        NormalizationStatistics normalization = NormalizationStatistics.Estimate(
            utterances.Where(u => u.Split == DatasetSplit.Train).Select(u =>
            {
                var features = new float[u.QuantizedFeatures.Length];
                quantizer.Dequantize(u.QuantizedFeatures, features);
                return features;
            }),
            LogMelExtractor.FeatureDimension);
        double hours = processed.Sum(p => p.AudioSeconds) / 3600.0;
        string description = $"CompactRnn.CorpusGen preset={settings.Name} seed={settings.Seed} utterances={settings.TrainCount}/{settings.DevCount}/{settings.TestCount} (train/dev/test) "
            + $"audio={hours:F3}h; espeak-ng voices, 16 kHz, 40 log-mel, 10 ms frames; test accent {VoiceCatalog.TestOnlyAccent.Name} and dev accent {VoiceCatalog.DevOnlyAccent.Name} unseen in training.";
        return new SpeechDataset(phones, StatesPerPhone, lexicon, quantizer, normalization, utterances, description);
    }
}
