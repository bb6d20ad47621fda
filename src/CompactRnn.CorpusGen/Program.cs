using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using CompactRnn.CorpusGen.Generation;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Import;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.CorpusGen;

/// <summary>
/// Command line:
/// <c>generate --preset default|full --seed N --out FILE [--counts TRAIN,DEV,TEST[,TEST-ACCENT,CROSS-SYNTH]]</c> and
/// <c>import-wav --dir D --transcripts T.tsv --out FILE [--reference DATASET]</c>.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage:
          CompactRnn.CorpusGen generate --preset default|full --seed N --out FILE [--counts TRAIN,DEV,TEST[,TEST-ACCENT,CROSS-SYNTH]]
          CompactRnn.CorpusGen stats --data FILE.crds
          CompactRnn.CorpusGen import-wav --dir DIR --transcripts FILE.tsv --out FILE [--reference DATASET.crds]
        """;

    public static int Main(string[] args)
    {
        try
        {
            if (args.Length == 0)
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }

            Dictionary<string, string> options = ParseOptions(args.AsSpan(1));
            return args[0] switch
            {
                "generate" => Generate(options),
                "import-wav" => ImportWav(options),
                "stats" => Stats(options),
                _ => Fail($"unknown command '{args[0]}'."),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or InvalidOperationException or FormatException)
        {
            return Fail(e.Message);
        }
    }

    private static int Generate(Dictionary<string, string> options)
    {
        string preset = Get(options, "preset", "default");
        int seed = int.Parse(Get(options, "seed", "1"), CultureInfo.InvariantCulture);
        string output = Require(options, "out");
        CorpusSettings settings = CorpusSettings.FromPreset(preset, seed);
        if (options.TryGetValue("counts", out string? counts))
        {
            int[] parts = [.. counts.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
            if ((parts.Length != 3 && parts.Length != 5) || parts.Any(p => p < 0 || p > 1_000_000) || parts.Sum() == 0)
            {
                throw new ArgumentException($"--counts must be TRAIN,DEV,TEST or TRAIN,DEV,TEST,TEST-ACCENT,CROSS-SYNTH (non-negative, at most 1,000,000 each), got '{counts}'.");
            }

            settings = settings with
            {
                Name = $"{preset}-custom", TrainCount = parts[0], DevCount = parts[1], TestCount = parts[2],
                TestAccentCount = parts.Length == 5 ? parts[3] : 0, CrossSynthCount = parts.Length == 5 ? parts[4] : 0,
            };
        }

        var clock = Stopwatch.StartNew();
        SpeechDataset dataset = CorpusGenerator.Generate(settings, message => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}"));
        dataset.Save(output);
        Console.WriteLine($"{output}: {dataset.Utterances.Count} utterances, {dataset.ClassCount} phone classes, {new FileInfo(output).Length} bytes, {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine(dataset.Description);
        return 0;
    }

    /// <summary>Per-set utterances, words, voices, accents and hours (the table of docs/speech-benchmark.md).</summary>
    private static int Stats(Dictionary<string, string> options)
    {
        SpeechDataset dataset = SpeechDataset.Load(Require(options, "data"));
        Console.WriteLine("| set | utterances | words | voices | accents | hours |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach ((DatasetSplit split, string name) in EvaluationSets.All)
        {
            IReadOnlyList<Utterance> set = dataset.GetSplit(split);
            if (set.Count == 0)
            {
                continue;
            }

            var voices = set.Select(u => u.Speaker).Distinct(StringComparer.Ordinal).ToArray();
            string accents = string.Join(" ", voices.Select(ScoredUtterance.AccentOfSpeaker).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            Console.WriteLine(FormattableString.Invariant($"| {name} | {set.Count:N0} | {set.Sum(u => u.Words.Count):N0} | {voices.Length} | {accents} | {set.Sum(u => u.DurationSeconds) / 3600:F2} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| word | pronunciations in training (most frequent first) |");
        Console.WriteLine("|---|---|");
        foreach (LexiconEntry entry in dataset.Lexicon)
        {
            Console.WriteLine($"| {entry.Word} | {string.Join(" · ", entry.Pronunciations.Select(p => "`" + string.Join(' ', p.Select(i => dataset.Phones[i])) + "`"))} |");
        }

        return 0;
    }

    private static int ImportWav(Dictionary<string, string> options)
    {
        string directory = Require(options, "dir");
        string transcripts = Require(options, "transcripts");
        string output = Require(options, "out");
        SpeechDataset? reference = options.TryGetValue("reference", out string? path) ? SpeechDataset.Load(path) : null;
        SpeechDataset dataset = WavFolderImporter.Import(directory, transcripts, reference, message => Console.Error.WriteLine($"warning: {message}"));
        dataset.Save(output);
        Console.WriteLine($"{output}: {dataset.Utterances.Count} utterances imported.");
        return 0;
    }

    private static Dictionary<string, string> ParseOptions(ReadOnlySpan<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'.\n{Usage}");
            }

            options[args[i][2..]] = args[i + 1];
        }

        return options;
    }

    private static string Get(Dictionary<string, string> options, string name, string fallback) =>
        options.TryGetValue(name, out string? value) ? value : fallback;

    private static string Require(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out string? value) ? value : throw new ArgumentException($"missing --{name}.\n{Usage}");

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }
}
