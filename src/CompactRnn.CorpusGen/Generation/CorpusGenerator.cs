using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CompactRnn.CorpusGen.Cmu;
using CompactRnn.CorpusGen.Espeak;
using CompactRnn.Speech.Audio;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Features;

namespace CompactRnn.CorpusGen.Generation;

/// <summary>
/// Builds a connected-digit dataset (docs/speech-benchmark.md): plans every utterance from the seed,
/// voices each batch (espeak-ng in process on one thread, festival in a parallel separate run, flite as
/// separate programs), then applies speed perturbation, padding, reverberation, tilt/EQ, telephone band
/// limit, noise and features in parallel with one random stream per utterance, so the output is identical
/// for any thread count. Finally fixes the phone inventory (silence, then mnemonics in ordinal order; three
/// sub-state classes per phone), the lexicon (pronunciations observed in the training split per word, most
/// frequent first), the frame labels and the training-split normalisation statistics.
/// </summary>
internal static class CorpusGenerator
{
    private const int BatchSize = 256;
    private const int BabbleTalkers = 3;
    private const double DitherAmplitude = 1.0 / 32768.0;
    private const int StatesPerPhone = 3;
    private const int TelephoneRate = 8000;

    public static SpeechDataset Generate(CorpusSettings settings, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        UtterancePlan[] plans = UtterancePlanner.Plan(settings);
        var processed = new ProcessedUtterance[plans.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        for (int batchStart = 0; batchStart < plans.Length; batchStart += BatchSize)
        {
            int count = Math.Min(BatchSize, plans.Length - batchStart);
            UtterancePlan[] batch = plans[batchStart..(batchStart + count)];
            SynthesisResult[] synthesized = Synthesize(batch, options);
            var clean = new float[count][];
            Parallel.For(0, count, options, i => clean[i] = SpeedAndResample(synthesized[i], batch[i].Conditions.Speed));
            Parallel.For(0, count, options, () => new LogMelExtractor(), (i, _, extractor) =>
            {
                processed[batchStart + i] = Process(batch[i], synthesized[i], clean, i, extractor);
                return extractor;
            }, _ => { });
            log?.Invoke($"synthesised {batchStart + count}/{plans.Length}");
        }

        return Assemble(settings, processed);
    }

    /// <summary>
    /// Voices one batch: festival's share in one separate festival run while espeak-ng (not thread-safe,
    /// in process) works through its share on this thread; then flite's share, one process per utterance.
    /// </summary>
    private static SynthesisResult[] Synthesize(UtterancePlan[] batch, ParallelOptions options)
    {
        var results = new SynthesisResult[batch.Length];
        int[] festival = [.. Enumerable.Range(0, batch.Length).Where(i => batch[i].Engine == SynthesisEngine.Festival)];
        Task<SynthesisResult[]> festivalRun = Task.Run(() => FestivalSynthesizer.Synthesize(
            [.. festival.Select(i => new FestivalSynthesizer.Request(batch[i].Text, batch[i].Voice, Stretch(batch[i])))]));
        for (int i = 0; i < batch.Length; i++)
        {
            UtterancePlan plan = batch[i];
            if (plan.Engine == SynthesisEngine.Espeak)
            {
                results[i] = EspeakSynthesizer.Synthesize(plan.Text, plan.Voice, plan.WordsPerMinute, plan.Pitch, (uint)plan.NoiseSeed);
            }
        }

        Parallel.For(0, batch.Length, options, i =>
        {
            if (batch[i].Engine == SynthesisEngine.Flite)
            {
                results[i] = FliteSynthesizer.Synthesize(batch[i].Text, batch[i].Voice, Stretch(batch[i]));
            }
        });
        SynthesisResult[] voiced = festivalRun.GetAwaiter().GetResult();
        for (int k = 0; k < festival.Length; k++)
        {
            results[festival[k]] = voiced[k];
        }

        return results;
    }

    /// <summary>Festival and flite take a duration stretch instead of a rate: 170 wpm is their natural pace.</summary>
    private static double Stretch(UtterancePlan plan) => 170.0 / plan.WordsPerMinute;

    /// <summary>
    /// Speed perturbation and resampling in one step: the audio is treated as recorded at rate·speed (rounded
    /// to 50 Hz so the polyphase table stays small) and resampled to 16 kHz; phone times scale the same way.
    /// </summary>
    private static float[] SpeedAndResample(SynthesisResult synthesis, double speed)
    {
        short[] raw = synthesis.Samples;
        var samples = new float[raw.Length];
        for (int n = 0; n < raw.Length; n++)
        {
            samples[n] = raw[n] / 32768f;
        }

        return AudioResampler.Resample(samples, EffectiveRate(synthesis.SampleRate, speed), LogMelExtractor.SampleRate);
    }

    private static int EffectiveRate(int sampleRate, double speed) => speed == 1.0 ? sampleRate : (int)(Math.Round(sampleRate * speed / 50.0) * 50.0);

    private static ProcessedUtterance Process(UtterancePlan plan, SynthesisResult synthesis, float[][] batchClean, int indexInBatch, LogMelExtractor extractor)
    {
        const int rate = LogMelExtractor.SampleRate;
        int leading = (int)Math.Round(plan.LeadingSilenceSeconds * rate);
        int trailing = (int)Math.Round(plan.TrailingSilenceSeconds * rate);
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

        Conditions c = plan.Conditions;
        if (c.ReverbSeconds > 0)
        {
            Reverberation.Apply(audio, rate, c.ReverbSeconds, random);
        }

        if (c.Tilt != 0)
        {
            SpectralShaping.Tilt(audio, c.Tilt);
        }

        if (c.EqCentreHz > 0)
        {
            SpectralShaping.Peaking(audio, rate, c.EqCentreHz, c.EqGainDb);
        }

        if (c.Telephone)
        {
            float[] narrow = AudioResampler.Resample(AudioResampler.Resample(audio, rate, TelephoneRate), TelephoneRate, rate);
            Array.Clear(audio);
            narrow.AsSpan(0, Math.Min(narrow.Length, audio.Length)).CopyTo(audio);
        }

        NoiseKind noise = plan.Noise == NoiseKind.Babble && babble!.Count == 0 ? NoiseKind.White : plan.Noise;
        NoiseMixer.AddNoise(audio, noise, plan.SnrDb, random, babble);
        NoiseMixer.ApplyGain(audio, plan.GainDb);
        NoiseMixer.AddDither(audio, DitherAmplitude, random);
        float[] features = extractor.Extract(audio);
        int frames = features.Length / LogMelExtractor.FeatureDimension;
        byte[] quantized = FeatureQuantizer.CreateDefault(LogMelExtractor.FeatureDimension).Quantize(features);
        int effectiveRate = EffectiveRate(synthesis.SampleRate, c.Speed);
        var (segments, pronunciations) = PhoneEventAligner.Align(synthesis.Phonemes, effectiveRate, plan.Words, (double)leading / rate);
        return new ProcessedUtterance(plan, frames, quantized, segments, pronunciations, (double)audio.Length / rate);
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
        string description = $"CompactRnn.CorpusGen preset={settings.Name} seed={settings.Seed} utterances={settings.TrainCount}/{settings.DevCount}/{settings.TestCount}/{settings.TestAccentCount}/{settings.CrossSynthCount} (train/dev/test/test-accent/cross-synth) "
            + $"audio={hours:F3}h; espeak-ng and festival voices in training, flite only in cross-synth; test voices unseen, test-accent accents {string.Join(",", VoiceCatalog.HeldOutAccents.Select(a => a.Name))} unseen; 16 kHz, 40 log-mel, 10 ms frames; docs/speech-benchmark.md.";
        return new SpeechDataset(phones, StatesPerPhone, lexicon, quantizer, normalization, utterances, description);
    }
}
