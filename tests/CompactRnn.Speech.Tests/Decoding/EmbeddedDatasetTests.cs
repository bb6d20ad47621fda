using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Decoding;
using CompactRnn.Speech.Metrics;
using CompactRnn.Speech.Tests.Fixtures;

namespace CompactRnn.Speech.Tests.Decoding;

public class EmbeddedDatasetTests : IClassFixture<EmbeddedDatasetFixture>
{
    private readonly SpeechDataset _dataset;

    public EmbeddedDatasetTests(EmbeddedDatasetFixture fixture)
    {
        _dataset = fixture.Dataset;
    }

    [Fact]
    public void Load_DefaultDataset_HasExpectedShape()
    {
        Assert.True(new FileInfo(RepositoryPaths.DefaultDataset).Length <= 5_000_000);
        Assert.Equal(40, _dataset.FeatureDimension);
        Assert.Equal(760, _dataset.GetSplit(DatasetSplit.Train).Count);
        Assert.Equal(100, _dataset.GetSplit(DatasetSplit.Dev).Count);
        Assert.Equal(170, _dataset.GetSplit(DatasetSplit.Test).Count);
        Assert.Equal(50, _dataset.GetSplit(DatasetSplit.TestAccent).Count);
        Assert.Equal(50, _dataset.GetSplit(DatasetSplit.CrossSynth).Count);
        Assert.True(_dataset.HasFrameLabels);
        Assert.Equal(SpeechDataset.SilencePhone, _dataset.Phones[0]);
        Assert.Equal(1 + ((_dataset.Phones.Count - 1) * 3), _dataset.ClassCount);
        Assert.Equal(11, _dataset.Lexicon.Count);
    }

    [Fact]
    public void Splits_DefaultDataset_VoicesDisjointTestFromTrainingAccentsAndNamedSets()
    {
        HashSet<string> Speakers(DatasetSplit s) => [.. _dataset.GetSplit(s).Select(u => u.Speaker)];
        static string Accent(string speaker) => speaker[..speaker.IndexOf('+', StringComparison.Ordinal)];
        static string Variant(string speaker) => speaker[(speaker.IndexOf('+', StringComparison.Ordinal) + 1)..];
        var train = Speakers(DatasetSplit.Train);
        var dev = Speakers(DatasetSplit.Dev);
        var test = Speakers(DatasetSplit.Test);

        Assert.Empty(train.Select(Variant).Intersect(test.Select(Variant)));
        Assert.Empty(train.Select(Variant).Intersect(dev.Select(Variant)));
        Assert.Empty(dev.Select(Variant).Intersect(test.Select(Variant)));
        Assert.True(test.Count >= 40, $"{test.Count} test voices");
        Assert.Empty(test.Select(Accent).Except(train.Select(Accent)));
        Assert.Empty(Speakers(DatasetSplit.TestAccent).Select(Accent).Intersect(train.Select(Accent)));
        Assert.All(Speakers(DatasetSplit.CrossSynth), s => Assert.Equal("flite", Accent(s)));
        Assert.Contains(train, s => Accent(s) == "festival");
        Assert.DoesNotContain(train, s => Accent(s) == "flite");
    }

    [Fact]
    public void Decode_OraclePosteriorsOnTestSplit_GivesZeroWordErrorRate()
    {
        var decoder = DigitLoopDecoder.Create(_dataset, DecoderOptions.Oracle);
        var wer = new WordErrorRate();
        var clock = Stopwatch.StartNew();

        foreach (Utterance utterance in _dataset.GetSplit(DatasetSplit.Test))
        {
            float[] oracle = OraclePosteriors.FromUtterance(utterance, _dataset.ClassCount);
            wer.Add(utterance.Words, decoder.Decode(oracle, utterance.FrameCount));
        }

        Assert.Equal(170, wer.Sentences);
        Assert.True(wer.Totals.ReferenceLength > 170);
        Assert.Equal(0, wer.Totals.Errors);
        Assert.Equal(0.0, wer.Rate);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"decoding took {clock.Elapsed}");
    }

    [Fact]
    public void Evaluate_OracleModel_PerfectFramesPhonesAndWords()
    {
        var decoder = DigitLoopDecoder.Create(_dataset, DecoderOptions.Oracle);
        var dev = _dataset.GetSplit(DatasetSplit.Dev).Take(40).ToArray();
        var model = new LookupModel(_dataset, dev);

        EvaluationResult result = SpeechEvaluator.Evaluate(_dataset, dev, model, decoder);

        Assert.Equal(0.0, result.WordErrorRate);
        Assert.Equal(0.0, result.SentenceErrorRate);
        Assert.Equal(1.0, result.FrameAccuracy);
        Assert.Equal(0.0, result.PhoneErrorRate);
    }

    [Fact]
    public void GetNormalizedFeatures_TrainSplit_HasZeroMeanUnitDeviation()
    {
        var frames = _dataset.GetSplit(DatasetSplit.Train).Select(_dataset.GetNormalizedFeatures).ToArray();
        for (int d = 0; d < 40; d += 13)
        {
            double[] values = [.. frames.SelectMany(f => Enumerable.Range(0, f.Length / 40).Select(t => (double)f[(t * 40) + d]))];
            double mean = values.Average();
            double deviation = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
            Assert.InRange(mean, -1e-3, 1e-3);
            Assert.InRange(deviation, 0.999, 1.001);
        }
    }

    [Fact]
    public void ComputeLogPriors_DefaultDataset_TrainedClassesNormalisedUntrainedAtTheFloor()
    {
        float[] logPriors = _dataset.ComputeLogPriors();
        bool[] trained = TrainingPriors.Trained(TrainingPriors.CountFrames(_dataset));

        Assert.Equal(_dataset.ClassCount, logPriors.Length);
        Assert.Equal(1.0, logPriors.Where((_, c) => trained[c]).Sum(p => Math.Exp(p)), 4);
        Assert.Equal(0, Array.IndexOf(logPriors, logPriors.Max())); // silence is the most frequent class
        Assert.All(logPriors.Where((_, c) => !trained[c]), p => Assert.Equal(logPriors[0], p));
    }

    /// <summary>An "acoustic model" that looks the labels up by utterance (features → utterance by frame count and content).</summary>
    private sealed class LookupModel(SpeechDataset dataset, Utterance[] utterances) : IFramePosteriorSource
    {
        public int ClassCount => dataset.ClassCount;

        public void ComputeLogPosteriors(ReadOnlySpan<float> normalizedFeatures, int frames, Span<float> logPosteriors)
        {
            foreach (Utterance utterance in utterances)
            {
                if (utterance.FrameCount == frames && dataset.GetNormalizedFeatures(utterance).AsSpan().SequenceEqual(normalizedFeatures))
                {
                    OraclePosteriors.FromUtterance(utterance, ClassCount).CopyTo(logPosteriors);
                    return;
                }
            }

            throw new InvalidOperationException("unknown utterance");
        }
    }
}
