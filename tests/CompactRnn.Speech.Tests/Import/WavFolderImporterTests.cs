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
