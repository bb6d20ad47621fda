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
/// one line per file, <c>file name &lt;TAB&gt; words</c>; blank lines and lines starting with '#' are skipped.
/// Words are lower-cased and single digits 0–9 are spelled out ("3" → "three"). Audio is resampled to
/// 16 kHz and a one-LSB dither is added (fixed seed) so digital silence has a finite log-mel floor.
/// With a reference dataset, its phones, lexicon, quantiser and normalisation are copied so a model trained
/// on it can be scored on the recordings; without one, statistics come from the recordings themselves.
/// </summary>
public static class WavFolderImporter
{
    private static readonly string[] DigitNames = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>Imports the files listed in <paramref name="transcriptPath"/> from <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The TSV is malformed, a listed file is missing or not 16-bit PCM.</exception>
    public static SpeechDataset Import(string directory, string transcriptPath, SpeechDataset? reference = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(transcriptPath);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"WAV directory '{directory}' does not exist.");
        }

        List<(string File, string[] Words)> entries = ReadTranscripts(transcriptPath);
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
            string path = Path.Combine(directory, entries[i].File);
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"'{transcriptPath}': listed file '{entries[i].File}' not found in '{directory}'.");
            }

            (float[] samples, int rate) = WavReader.Read(path);
            float[] audio = AudioResampler.Resample(samples, rate, LogMelExtractor.SampleRate);
            NoiseMixer.AddDither(audio, 1.0 / 32768.0, new Random(i + 1));
            float[] features = extractor.Extract(audio);
            byte[] quantized = quantizer.Quantize(features);
            int frames = features.Length / LogMelExtractor.FeatureDimension;
            string id = Path.GetFileNameWithoutExtension(entries[i].File);
            utterances.Add(new Utterance(id, DatasetSplit.Test, "import", entries[i].Words, frames, LogMelExtractor.FeatureDimension, quantized, null));
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

    private static List<(string File, string[] Words)> ReadTranscripts(string transcriptPath)
    {
        var entries = new List<(string, string[])>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string[] lines = File.ReadAllLines(transcriptPath);
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
            {
                throw new InvalidDataException($"'{transcriptPath}' line {n + 1}: expected 'file<TAB>words'.");
            }

            string file = line[..tab].Trim();
            if (!seen.Add(file))
            {
                throw new InvalidDataException($"'{transcriptPath}' line {n + 1}: file '{file}' is listed twice.");
            }

            string[] words = [.. line[(tab + 1)..]
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                .Select(w => w.ToLowerInvariant())
                .Select(w => w.Length == 1 && char.IsAsciiDigit(w[0]) ? DigitNames[w[0] - '0'] : w)];
            entries.Add((file, words));
        }

        if (entries.Count == 0)
        {
            throw new InvalidDataException($"'{transcriptPath}' lists no files.");
        }

        return entries;
    }
}
