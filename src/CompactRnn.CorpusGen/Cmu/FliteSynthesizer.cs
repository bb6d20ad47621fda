using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CompactRnn.CorpusGen.Espeak;
using CompactRnn.Speech.Audio;

namespace CompactRnn.CorpusGen.Cmu;

/// <summary>
/// Synthesises one text with flite as a separate program: <c>flite -voice V --setf duration_stretch=S -t
/// TEXT -psdur -o FILE.wav</c>, which prints every phone with its end time (<c>pau:0.164 z:0.209 …</c>).
/// Phones are mapped with <see cref="CmuPhoneMap"/>. Flite does not say which word a phone belongs to, so
/// all phones are attributed to the first word: flite voices only appear in the cross-synthesiser set,
/// whose pronunciations never enter the lexicon (only training pronunciations do).
/// </summary>
internal static class FliteSynthesizer
{
    public static SynthesisResult Synthesize(string text, string voice, double stretch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.Any(c => !(char.IsAsciiLetterLower(c) || c == ' ')) || voice.Any(c => !char.IsAsciiLetterOrDigit(c)))
        {
            throw new ArgumentException($"Only lower-case words and plain voice names are allowed ('{text}', '{voice}').", nameof(text));
        }

        string path = Path.Combine(Path.GetTempPath(), $"compactrnn-flite-{Guid.NewGuid():N}.wav");
        try
        {
            string output = ExternalProgram.Run("flite", TimeSpan.FromMinutes(2), "flite",
                "-voice", voice, "--setf", FormattableString.Invariant($"duration_stretch={stretch:F3}"), "-t", text, "-psdur", "-o", path);
            (float[] samples, int rate) = WavReader.Read(path);
            var events = new List<PhonemeEvent>();
            double start = 0.0;
            foreach (string token in output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                int colon = token.LastIndexOf(':');
                if (colon <= 0 || !double.TryParse(token.AsSpan(colon + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double end))
                {
                    throw new InvalidOperationException($"Unexpected flite phone token '{token}'.");
                }

                string phone = CmuPhoneMap.ToShared(token[..colon], "flite " + voice);
                events.Add(new PhonemeEvent(phone, (int)Math.Round(start * rate), 1));
                start = end;
            }

            if (events.Count == 0)
            {
                throw new InvalidOperationException($"flite printed no phones for '{text}'.");
            }

            return new SynthesisResult(FestivalSynthesizer.ToPcm(samples), rate, events);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
