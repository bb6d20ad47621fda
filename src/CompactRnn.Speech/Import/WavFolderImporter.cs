using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompactRnn.Speech.Audio;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Features;

namespace CompactRnn.Speech.Import;

/// <summary>
/// Builds an evaluation-only dataset (features and word transcripts, no frame labels, all in the test split)
/// from a folder of 16-bit PCM WAV files at any sample rate and a transcript TSV:
/// one line per file, <c>file name &lt;TAB&gt; words [&lt;TAB&gt; speaker]</c>; blank lines and lines starting with '#'
/// are skipped. Words are lower-cased and single digits 0–9 are spelled out ("3" → "three"); a multi-digit
/// number ("20") is rejected with its line number, because whether it was read "two zero" or "twenty"
/// is not known. Words outside the reference lexicon and files too short for one frame are reported
/// through the warning callback with their line numbers (the digit-loop decoder cannot output such words).
/// The speaker column (default <c>import</c>) is the block of the WER bootstrap. Audio is resampled to
/// 16 kHz and a one-LSB dither is added, seeded from the utterance id (not the line), so digital silence
/// has a finite log-mel floor and an utterance's features do not change when lines are reordered.
/// With a reference dataset, its phones, lexicon, quantiser and normalisation are copied so a model trained
/// on it can be scored on the recordings; without one, statistics come from the recordings themselves.
/// </summary>
public static class WavFolderImporter
{
    private static readonly string[] DigitNames = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>Imports the files listed in <paramref name="transcriptPath"/> from <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The TSV is malformed, a listed file is missing or not 16-bit PCM.</exception>
    /// <param name="directory">Folder of the WAV files.</param>
    /// <param name="transcriptPath">The transcript TSV.</param>
    /// <param name="reference">Dataset whose phones, lexicon, quantiser and normalisation are copied (null: from the recordings).</param>
    /// <param name="warn">Receives one message per warning (out-of-lexicon word, file without frames); null ignores them.</param>
    public static SpeechDataset Import(string directory, string transcriptPath, SpeechDataset? reference = null, Action<string>? warn = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(transcriptPath);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"WAV directory '{directory}' does not exist.");
        }

        List<Entry> entries = ReadTranscripts(transcriptPath);
        if (reference is not null)
        {
            var known = reference.Lexicon.Select(e => e.Word).ToHashSet(StringComparer.Ordinal);
            foreach (Entry entry in entries)
            {
                foreach (string word in entry.Words.Where(w => !known.Contains(w)).Distinct(StringComparer.Ordinal))
                {
                    warn?.Invoke($"'{transcriptPath}' line {entry.Line}: word '{word}' is not in the reference lexicon; the decoder cannot output it, so it always counts as an error.");
                }
            }
        }

        FeatureQuantizer quantizer = reference?.Quantizer ?? FeatureQuantizer.CreateDefault(LogMelExtractor.FeatureDimension);
        if (quantizer.Dimension != LogMelExtractor.FeatureDimension)
        {
            throw new ArgumentException($"Reference dataset has dimension {quantizer.Dimension}, not {LogMelExtractor.FeatureDimension}.", nameof(reference));
        }

        var extractor = new LogMelExtractor();
        var utterances = new List<Utterance>();
        var dequantized = new List<float[]>();
        for (int i = 0; i < entries.Count; i++)
        {
            Entry entry = entries[i];
            string path = Path.Combine(directory, entry.File);
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"'{transcriptPath}' line {entry.Line}: listed file '{entry.File}' not found in '{directory}'.");
            }

            (float[] samples, int rate) = WavReader.Read(path);
            float[] audio = AudioResampler.Resample(samples, rate, LogMelExtractor.SampleRate);
            string id = Path.GetFileNameWithoutExtension(entry.File);
            NoiseMixer.AddDither(audio, 1.0 / 32768.0, new Random(StableSeed(id)));
            float[] features = extractor.Extract(audio);
            byte[] quantized = quantizer.Quantize(features);
            int frames = features.Length / LogMelExtractor.FeatureDimension;
            if (frames == 0)
            {
                warn?.Invoke($"'{transcriptPath}' line {entry.Line}: '{entry.File}' is shorter than one 25 ms frame; it decodes to nothing (all its words count as deletions).");
            }

            utterances.Add(new Utterance(id, DatasetSplit.Test, entry.Speaker, entry.Words, frames, LogMelExtractor.FeatureDimension, quantized, null));
            var restored = new float[quantized.Length];
            quantizer.Dequantize(quantized, restored);
            dequantized.Add(restored);
        }

        NormalizationStatistics normalization = reference?.Normalization ?? NormalizationStatistics.Estimate(dequantized, LogMelExtractor.FeatureDimension);
        string description = $"Imported from {entries.Count} WAV files listed in {Path.GetFileName(transcriptPath)}"
            + (reference is null ? "; statistics from the recordings." : "; phones, lexicon and statistics from a reference dataset.");
        return new SpeechDataset(
            reference?.Phones ?? [],
            reference?.StatesPerPhone ?? 1,
            reference?.Lexicon ?? [],
            quantizer,
            normalization,
            utterances,
            description);
    }

    /// <summary>FNV-1a hash of the id's UTF-16 code units: a seed that depends only on the utterance id.</summary>
    internal static int StableSeed(string id)
    {
        uint hash = 2166136261;
        foreach (char c in id)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    private static List<Entry> ReadTranscripts(string transcriptPath)
    {
        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string[] lines = File.ReadAllLines(transcriptPath);
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] fields = line.Split('\t');
            if (fields.Length is < 2 or > 3 || fields[0].Trim().Length == 0)
            {
                throw new InvalidDataException($"'{transcriptPath}' line {n + 1}: expected 'file<TAB>words' or 'file<TAB>words<TAB>speaker'.");
            }

            string file = fields[0].Trim();
            if (!seen.Add(file))
            {
                throw new InvalidDataException($"'{transcriptPath}' line {n + 1}: file '{file}' is listed twice.");
            }

            var words = new List<string>();
            foreach (string token in fields[1].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                string word = token.ToLowerInvariant();
                if (word.Length == 1 && char.IsAsciiDigit(word[0]))
                {
                    words.Add(DigitNames[word[0] - '0']);
                }
                else if (word.All(char.IsAsciiDigit))
                {
                    throw new InvalidDataException($"'{transcriptPath}' line {n + 1}: '{token}' is a multi-digit number; write the words spoken (e.g. 'two zero', or 'twenty', which is outside the digit vocabulary).");
                }
                else
                {
                    words.Add(word);
                }
            }

            string speaker = fields.Length == 3 && fields[2].Trim().Length > 0 ? fields[2].Trim() : "import";
            entries.Add(new Entry(n + 1, file, [.. words], speaker));
        }

        if (entries.Count == 0)
        {
            throw new InvalidDataException($"'{transcriptPath}' lists no files.");
        }

        return entries;
    }

    private sealed record Entry(int Line, string File, string[] Words, string Speaker);
}
