using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CompactRnn.CorpusGen.Espeak;
using CompactRnn.Speech.Audio;

namespace CompactRnn.CorpusGen.Cmu;

/// <summary>
/// Synthesises a batch of texts with festival in one <c>festival --batch</c> run (festival is X11/BSD-like
/// licensed but run as a separate program like every synthesiser here, never linked into a package).
/// For each text the script selects the voice, sets <c>Duration_Stretch</c>, runs <c>utt.synth</c>, saves the
/// waveform and writes every segment of the Segment relation with its end time and the end time of its
/// word (which tells repeated words apart). Phones are mapped with <see cref="CmuPhoneMap"/>; phone k
/// starts where phone k − 1 ends. Festival is deterministic, so results do not depend on batching.
/// </summary>
internal static class FestivalSynthesizer
{
    /// <summary>One request: the text (words separated by single spaces), the festival voice and the duration stretch.</summary>
    public readonly record struct Request(string Text, string Voice, double Stretch);

    public static SynthesisResult[] Synthesize(IReadOnlyList<Request> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return [];
        }

        string directory = Directory.CreateTempSubdirectory("compactrnn-festival-").FullName;
        try
        {
            var script = new StringBuilder();
            script.AppendLine("(define (dump u path) (let ((fd (fopen path \"w\")))");
            script.AppendLine("  (mapcar (lambda (s) (format fd \"%s %f %s\\n\" (item.name s) (item.feat s \"end\") (item.feat s \"R:SylStructure.parent.parent.word_end\"))) (utt.relation.items u 'Segment))");
            script.AppendLine("  (fclose fd)))");
            string? current = null;
            for (int i = 0; i < requests.Count; i++)
            {
                Request r = requests[i];
                if (r.Text.Any(c => !(char.IsAsciiLetterLower(c) || c == ' ')) || r.Voice.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
                {
                    throw new ArgumentException($"Festival request {i}: only lower-case words and plain voice names are allowed ('{r.Text}', '{r.Voice}').", nameof(requests));
                }

                if (r.Voice != current)
                {
                    script.AppendLine(CultureInfo.InvariantCulture, $"(voice_{r.Voice})");
                    current = r.Voice;
                }

                string stem = Path.Combine(directory, i.ToString(CultureInfo.InvariantCulture));
                script.AppendLine(CultureInfo.InvariantCulture, $"(Parameter.set 'Duration_Stretch {r.Stretch:F3})");
                script.AppendLine(CultureInfo.InvariantCulture, $"(set! u (utt.synth (Utterance Text \"{r.Text}\")))");
                script.AppendLine(CultureInfo.InvariantCulture, $"(utt.save.wave u \"{stem}.wav\" 'riff)");
                script.AppendLine(CultureInfo.InvariantCulture, $"(dump u \"{stem}.txt\")");
            }

            string scriptPath = Path.Combine(directory, "batch.scm");
            File.WriteAllText(scriptPath, script.ToString());
            ExternalProgram.Run("festival", TimeSpan.FromMinutes(30), "festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts", "--batch", scriptPath);
            var results = new SynthesisResult[requests.Count];
            for (int i = 0; i < requests.Count; i++)
            {
                string stem = Path.Combine(directory, i.ToString(CultureInfo.InvariantCulture));
                if (!File.Exists(stem + ".wav") || !File.Exists(stem + ".txt"))
                {
                    throw new InvalidOperationException($"festival wrote no output for '{requests[i].Text}' with voice {requests[i].Voice} (is the voice installed?).");
                }

                results[i] = Read(stem, requests[i]);
            }

            return results;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static SynthesisResult Read(string stem, Request request)
    {
        (float[] samples, int rate) = WavReader.Read(stem + ".wav");
        string[] words = request.Text.Split(' ');
        var events = new List<PhonemeEvent>();
        double start = 0.0;
        int word = -1;
        string? wordEnd = null;
        foreach (string line in File.ReadLines(stem + ".txt"))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 3 || !double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double end))
            {
                throw new InvalidOperationException($"Unexpected festival segment line '{line}'.");
            }

            string phone = CmuPhoneMap.ToShared(f[0], request.Voice);
            if (phone != "_" && f[2] != wordEnd)
            {
                word++;
                wordEnd = f[2];
            }

            int position = phone == "_" ? 0 : WordPosition(words, Math.Min(word, words.Length - 1));
            events.Add(new PhonemeEvent(phone, (int)Math.Round(start * rate), position));
            start = end;
        }

        if (word != words.Length - 1)
        {
            throw new InvalidOperationException($"festival voice {request.Voice} produced {word + 1} words for '{request.Text}'.");
        }

        return new SynthesisResult(ToPcm(samples), rate, events);
    }

    /// <summary>1-based character position of word <paramref name="index"/> in the space-separated text (as espeak-ng reports it).</summary>
    internal static int WordPosition(string[] words, int index)
    {
        int position = 1;
        for (int w = 0; w < index; w++)
        {
            position += words[w].Length + 1;
        }

        return position;
    }

    internal static short[] ToPcm(float[] samples) =>
        [.. samples.Select(v => (short)Math.Clamp(Math.Round(v * 32768.0), short.MinValue, short.MaxValue))];
}
