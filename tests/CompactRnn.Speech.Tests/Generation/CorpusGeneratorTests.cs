using System;
using System.IO;
using System.Linq;
using CompactRnn.CorpusGen.Generation;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Decoding;
using CompactRnn.Speech.Metrics;
using CompactRnn.Speech.Tests.Fixtures;

namespace CompactRnn.Speech.Tests.Generation;

/// <summary>Synthesises through libespeak-ng (CI installs libespeak-ng1); espeak-ng is process-global, so these run serially.</summary>
[Collection(EspeakSerialGroup.Name)]
public class CorpusGeneratorTests
{
    [Fact]
    public void GenerateCommand_SameSeedTwice_ByteIdenticalFiles()
    {
        // espeak-ng keeps state between utterances, so reproducibility is per process: run the tool twice.
        using var directory = new TemporaryDirectory();
        foreach (string name in new[] { "a.crds", "b.crds" })
        {
            var (exitCode, output, errors) = CorpusGenTool.Run("generate", "--preset", "default", "--seed", "1234", "--counts", "6,2,2", "--out", directory.File(name));
            Assert.True(exitCode == 0, $"exit {exitCode}: {output} {errors}");
        }

        byte[] a = File.ReadAllBytes(directory.File("a.crds"));
        byte[] b = File.ReadAllBytes(directory.File("b.crds"));
        Assert.True(a.Length > SpeechDatasetFile.HeaderLength);
        Assert.Equal(a, b);
        Assert.Equal(10, SpeechDataset.Load(directory.File("a.crds")).Utterances.Count);
    }

    [Fact]
    public void GenerateCommand_UnknownPreset_FailsWithMessage()
    {
        var (exitCode, _, errors) = CorpusGenTool.Run("generate", "--preset", "huge", "--out", "unused.crds");

        Assert.Equal(1, exitCode);
        Assert.Contains("Preset must be 'default' or 'full'", errors, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_DifferentSeeds_DifferentData()
    {
        SpeechDataset first = CorpusGenerator.Generate(new CorpusSettings("tiny", 3, 1, 1, 1));
        SpeechDataset second = CorpusGenerator.Generate(new CorpusSettings("tiny", 3, 1, 1, 2));

        Assert.NotEqual(
            first.Utterances.Select(u => string.Join(' ', u.Words)),
            second.Utterances.Select(u => string.Join(' ', u.Words)));
    }

    [Fact]
    public void Generate_SmallCorpusWithEverySet_LabelsCoverSpeechAndOracleDecodesTrainingExactly()
    {
        // Every engine (espeak-ng, festival in training, flite in cross-synth) and every set; CI installs festival and flite.
        SpeechDataset dataset = CorpusGenerator.Generate(new CorpusSettings("tiny", 16, 3, 4, 2, 3, 99));
        var decoder = DigitLoopDecoder.Create(dataset, DecoderOptions.Oracle);
        var wer = new WordErrorRate();

        Assert.Contains(dataset.Utterances, u => u.Split == DatasetSplit.Train && u.Speaker.StartsWith("festival+", System.StringComparison.Ordinal));
        Assert.All(dataset.GetSplit(DatasetSplit.CrossSynth), u => Assert.StartsWith("flite+", u.Speaker, System.StringComparison.Ordinal));
        Assert.All(Enum.GetValues<DatasetSplit>(), s => Assert.NotEmpty(dataset.GetSplit(s)));
        foreach (Utterance utterance in dataset.Utterances)
        {
            Assert.True(utterance.FrameCount > 20);
            Assert.Contains(utterance.FrameLabels.ToArray(), label => label != 0);
        }

        // Training utterances decode exactly; the lexicon holds training pronunciations only, so held-out
        // accents and flite may not (that is the point of a training-only lexicon).
        foreach (Utterance utterance in dataset.GetSplit(DatasetSplit.Train))
        {
            wer.Add(utterance.Words, decoder.Decode(OraclePosteriors.FromUtterance(utterance, dataset.ClassCount), utterance.FrameCount));
        }

        Assert.Equal(0, wer.Totals.Errors);
        Assert.Equal(0, DecoderInputs.FromTraining(dataset).RemovedPronunciations);
        Assert.Equal(3, dataset.StatesPerPhone);
        Assert.All(dataset.GetSplit(DatasetSplit.Train), u => Assert.DoesNotContain("en-029", u.Speaker, System.StringComparison.Ordinal));
    }
}
