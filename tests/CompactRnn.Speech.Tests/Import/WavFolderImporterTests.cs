using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CompactRnn.Speech.Audio;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Import;
using CompactRnn.Speech.Tests.Fixtures;
using CompactRnn.Speech.Tests.Generation;

namespace CompactRnn.Speech.Tests.Import;

/// <summary>Makes WAVs with the espeak-ng command (CI installs espeak-ng) and imports them.</summary>
[Collection(EspeakSerialGroup.Name)]
public class WavFolderImporterTests
{
    private static readonly (string File, string Voice, string Text)[] Recordings =
    [
        ("a.wav", "en-us+m3", "three one four"),
        ("b.wav", "en-029+f2", "nine oh two"),
        ("c.wav", "en-gb-scotland", "seven"),
    ];

    [Fact]
    public void Import_EspeakWavFolder_BuildsEvaluationOnlyDataset()
    {
        using var directory = new TemporaryDirectory();
        foreach (var (file, voice, text) in Recordings)
        {
            Speak(voice, text, directory.File(file));
        }

        File.WriteAllLines(directory.File("transcripts.tsv"),
        [
            "# file\twords",
            "a.wav\tthree one four",
            "b.wav\tNine oh 2",
            "",
            "c.wav\tseven",
        ]);
        SpeechDataset reference = SpeechDataset.Load(RepositoryPaths.DefaultDataset);

        SpeechDataset imported = WavFolderImporter.Import(directory.Path, directory.File("transcripts.tsv"), reference);
        imported.Save(directory.File("imported.crds"));
        SpeechDataset loaded = SpeechDataset.Load(directory.File("imported.crds"));

        Assert.Equal(3, loaded.Utterances.Count);
        Assert.False(loaded.HasFrameLabels);
        Assert.All(loaded.Utterances, u => Assert.Equal(DatasetSplit.Test, u.Split));
        Assert.Equal(["nine", "oh", "two"], loaded.Utterances[1].Words);
        Assert.Equal(reference.Phones, loaded.Phones);
        Assert.Equal(reference.Normalization.Mean, loaded.Normalization.Mean);
        for (int i = 0; i < Recordings.Length; i++)
        {
            (float[] samples, int rate) = WavReader.Read(directory.File(Recordings[i].File));
            Assert.Equal(22050, rate);
            double seconds = (double)samples.Length / rate;
            Assert.InRange(loaded.Utterances[i].FrameCount, (int)(seconds * 100) - 3, (int)(seconds * 100) + 1);
            float[] features = loaded.GetFeatures(loaded.Utterances[i]);
            Assert.True(features.Max() > features.Min() + 10f, "speech should span a wide log-energy range");
        }
    }

    [Fact]
    public void Import_MissingFile_ThrowsInvalidDataNamingIt()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("t.tsv"), "missing.wav\tone\n");

        var error = Assert.Throws<InvalidDataException>(() => WavFolderImporter.Import(directory.Path, directory.File("t.tsv")));

        Assert.Contains("missing.wav", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_LineWithoutTab_ThrowsInvalidDataWithLineNumber()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("t.tsv"), "# header\na.wav one two\n");

        var error = Assert.Throws<InvalidDataException>(() => WavFolderImporter.Import(directory.Path, directory.File("t.tsv")));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_MultiDigitNumber_RejectedWithLineNumber()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("t.tsv"), "# header\na.wav\tone\nb.wav\tcall 20 now\n");

        var error = Assert.Throws<InvalidDataException>(() => WavFolderImporter.Import(directory.Path, directory.File("t.tsv")));

        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("'20'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_WordsOutsideLexiconAndTooShortFile_WarnWithLineNumbers_DitherFollowsTheId()
    {
        using var directory = new TemporaryDirectory();
        Speak("en-us+m3", "three one four", directory.File("a.wav"));
        Speak("en-gb", "seven", directory.File("b.wav"));
        File.WriteAllBytes(directory.File("tiny.wav"), TinyWav());
        File.WriteAllLines(directory.File("t.tsv"), ["a.wav\tthree one four\tspeaker-a", "b.wav\tseven twenty", "tiny.wav\tone"]);
        File.WriteAllLines(directory.File("reordered.tsv"), ["b.wav\tseven twenty", "a.wav\tthree one four\tspeaker-a", "tiny.wav\tone"]);
        SpeechDataset reference = SpeechDataset.Load(RepositoryPaths.DefaultDataset);
        var warnings = new System.Collections.Generic.List<string>();

        SpeechDataset imported = WavFolderImporter.Import(directory.Path, directory.File("t.tsv"), reference, warnings.Add);
        SpeechDataset reordered = WavFolderImporter.Import(directory.Path, directory.File("reordered.tsv"), reference);

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("line 2", StringComparison.Ordinal) && w.Contains("'twenty'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("line 3", StringComparison.Ordinal) && w.Contains("tiny.wav", StringComparison.Ordinal));
        Assert.Equal("speaker-a", imported.Utterances[0].Speaker);
        Assert.Equal("import", imported.Utterances[1].Speaker);
        Assert.True(imported.Utterances[0].QuantizedFeatures.SequenceEqual(reordered.Utterances[1].QuantizedFeatures), "same id, same dither, same features");
    }

    [Fact]
    public void Save_SomeUtterancesUnlabelled_RefusesNamingOne()
    {
        SpeechDataset small = SmallDataset.Create(3);
        var unlabelled = new Utterance("no-labels", DatasetSplit.Test, "s", ["ab"], 2, 4, new byte[8], null);
        var mixed = new SpeechDataset(small.Phones, small.StatesPerPhone, small.Lexicon, small.Quantizer, small.Normalization, [.. small.Utterances, unlabelled], "mixed");
        using var directory = new TemporaryDirectory();

        var error = Assert.Throws<InvalidOperationException>(() => mixed.Save(directory.File("mixed.crds")));

        Assert.Contains("'no-labels'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(directory.File("mixed.crds")));
    }

    // 100 samples at 16 kHz (6 ms): shorter than one 25 ms analysis window.
    private static byte[] TinyWav()
    {
        var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.ASCII, leaveOpen: true))
        {
            w.Write("RIFF"u8.ToArray());
            w.Write(36 + 200);
            w.Write("WAVEfmt "u8.ToArray());
            w.Write(16);
            w.Write((short)1);
            w.Write((short)1);
            w.Write(16000);
            w.Write(32000);
            w.Write((short)2);
            w.Write((short)16);
            w.Write("data"u8.ToArray());
            w.Write(200);
            w.Write(new byte[200]);
        }

        return stream.ToArray();
    }

    private static void Speak(string voice, string text, string path)
    {
        var start = new ProcessStartInfo("espeak-ng") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-v", voice, "-w", path, text })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("espeak-ng did not start");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"espeak-ng failed: {errors}");
    }
}
