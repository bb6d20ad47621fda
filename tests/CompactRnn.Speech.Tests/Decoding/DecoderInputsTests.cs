using System;
using System.Linq;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Decoding;

namespace CompactRnn.Speech.Tests.Decoding;

/// <summary>Decoder lexicon and priors come from the training split only (issue: test-only pronunciations leaked into the decoder).</summary>
public class DecoderInputsTests
{
    // Phones: 0 sil, 1 a, 2 b, 3 t (one state each). "one" = a; "two" = b in training, t only in the test split
    // (like en-029's "three" with t[ in the old benchmark). The lexicon lists the test-only variant, as files built from all splits did.
    private static SpeechDataset CreateDatasetWithTestOnlyPronunciation()
    {
        string[] phones = ["sil", "a", "b", "t"];
        LexiconEntry[] lexicon = [new("one", [[1]]), new("two", [[2], [3]])];
        Utterance Make(string id, DatasetSplit split, string[] words, int[] labels) =>
            new(id, split, "voice-" + id, words, labels.Length, 1, new byte[labels.Length], labels);
        Utterance[] utterances =
        [
            Make("train-1", DatasetSplit.Train, ["one", "two"], [0, 0, 0, 1, 1, 1, 0, 2, 2, 2, 0, 0]),
            Make("train-2", DatasetSplit.Train, ["two", "one"], [0, 0, 2, 2, 0, 1, 1, 0, 0, 0]),
            Make("test-1", DatasetSplit.Test, ["two"], [0, 3, 3, 3, 0]),
        ];
        return new SpeechDataset(phones, 1, lexicon, new FeatureQuantizer([0f], [1f]), new NormalizationStatistics([0f], [1f]), utterances, "test-only pronunciation");
    }

    // Every frame is an even split between "a" (trained, word one) and "t" (untrained, test-only variant of two).
    private static float[] AmbiguousPosteriors(int frames)
    {
        var logPosteriors = new float[frames * 4];
        Array.Fill(logPosteriors, -30f);
        for (int t = 0; t < frames; t++)
        {
            logPosteriors[(t * 4) + 1] = MathF.Log(0.5f);
            logPosteriors[(t * 4) + 3] = MathF.Log(0.5f);
        }

        return logPosteriors;
    }

    [Fact]
    public void FromTraining_TestOnlyPronunciation_IsNotInTheDecoderLexicon()
    {
        DecoderInputs inputs = DecoderInputs.FromTraining(CreateDatasetWithTestOnlyPronunciation());

        Assert.Equal(1, inputs.RemovedPronunciations);
        Assert.True(inputs.HasTrainingFrames);
        LexiconEntry two = inputs.Lexicon.Single(e => e.Word == "two");
        Assert.Equal([[2]], two.Pronunciations.Select(p => p.ToArray()).ToArray());
        Assert.Equal([true, true, true, false], inputs.TrainedClasses);
    }

    [Fact]
    public void ComputeLogPriors_UntrainedClass_GetsTheLargestTrainedPriorAsFloor()
    {
        float[] logPriors = CreateDatasetWithTestOnlyPronunciation().ComputeLogPriors();

        // Training frames: sil 12, a 5, b 5 of 22.
        Assert.Equal(Math.Log(12.0 / 22), logPriors[0], 5);
        Assert.Equal(Math.Log(5.0 / 22), logPriors[1], 5);
        Assert.Equal(Math.Log(5.0 / 22), logPriors[2], 5);
        Assert.Equal(logPriors.Take(3).Max(), logPriors[3]);
    }

    [Fact]
    public void Decode_AmbiguousBetweenTrainedAndTestOnlyPhone_DoesNotFavourTheTestOnlyPronunciation()
    {
        SpeechDataset dataset = CreateDatasetWithTestOnlyPronunciation();
        float[] posteriors = AmbiguousPosteriors(6);

        string[] fromTraining = DigitLoopDecoder.Create(dataset, DecoderOptions.Oracle).Decode(posteriors, 6);
        // Even with the unfiltered lexicon, the prior floor alone keeps the untrained class from winning.
        string[] fullLexiconWithFloor = new DigitLoopDecoder(dataset.Lexicon, 1, dataset.ComputeLogPriors(), DecoderOptions.Oracle).Decode(posteriors, 6);

        Assert.Equal(["one"], fromTraining);
        Assert.Equal(["one"], fullLexiconWithFloor);
    }

    [Fact]
    public void Decode_AddOnePriorsWithFullLexicon_WouldFavourTheTestOnlyPronunciation()
    {
        // The failure this guards against: add-one priors give the untrained class log(1/26) and the score
        // log P(c|x) − log P(c) then prefers it. Shows the test above can fail.
        SpeechDataset dataset = CreateDatasetWithTestOnlyPronunciation();
        float[] addOne = [.. new[] { 12, 5, 5, 0 }.Select(n => MathF.Log((n + 1f) / 26f))];

        string[] words = new DigitLoopDecoder(dataset.Lexicon, 1, addOne, DecoderOptions.Oracle).Decode(AmbiguousPosteriors(6), 6);

        Assert.Equal(["two"], words);
    }

    [Fact]
    public void FromTraining_NoTrainingFrames_UniformPriorsAndFlagged()
    {
        SpeechDataset dataset = CreateDatasetWithTestOnlyPronunciation();
        var testOnly = new SpeechDataset(dataset.Phones, 1, dataset.Lexicon, dataset.Quantizer, dataset.Normalization, dataset.GetSplit(DatasetSplit.Test), "imported");

        DecoderInputs inputs = DecoderInputs.FromTraining(testOnly);

        Assert.False(inputs.HasTrainingFrames);
        Assert.All(inputs.LogPriors, p => Assert.Equal(-Math.Log(4), p, 5));
        Assert.Equal(0, inputs.RemovedPronunciations);
    }
}
