using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Speech.Data;

namespace CompactRnn.Speech.Decoding;

/// <summary>
/// What the decoder takes from a dataset, all from its training split (docs/speech-benchmark.md, "Decoder
/// inputs"): the class log priors of <see cref="TrainingPriors"/> and the lexicon restricted to
/// pronunciations whose every phone-state class has training frames. The corpus generator already builds
/// the lexicon from training utterances only; the class filter also protects against files whose lexicon
/// was built from all splits (a test-only pronunciation with untrained phones never reaches the decoder).
/// A dataset without labelled training frames (an imported recording set) keeps its lexicon and gets
/// uniform priors; <see cref="HasTrainingFrames"/> tells the caller so it can use a reference dataset instead.
/// </summary>
public sealed class DecoderInputs
{
    private DecoderInputs(LexiconEntry[] lexicon, float[] logPriors, bool[] trained, int removed, bool hasTrainingFrames)
    {
        Lexicon = lexicon;
        LogPriors = logPriors;
        TrainedClasses = trained;
        RemovedPronunciations = removed;
        HasTrainingFrames = hasTrainingFrames;
    }

    /// <summary>Words and the pronunciations the decoder may use.</summary>
    public IReadOnlyList<LexiconEntry> Lexicon { get; }

    /// <summary>log P(c) per frame class.</summary>
    public IReadOnlyList<float> LogPriors { get; }

    /// <summary>True for classes with at least one training frame.</summary>
    public IReadOnlyList<bool> TrainedClasses { get; }

    /// <summary>Pronunciations of the dataset's lexicon left out because they use an untrained class.</summary>
    public int RemovedPronunciations { get; }

    /// <summary>False when the dataset has no labelled training frames (priors uniform, lexicon unfiltered).</summary>
    public bool HasTrainingFrames { get; }

    /// <summary>Builds the inputs from <paramref name="dataset"/>'s training split.</summary>
    public static DecoderInputs FromTraining(SpeechDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        long[] counts = TrainingPriors.CountFrames(dataset);
        float[] logPriors = TrainingPriors.FromCounts(counts);
        bool[] trained = TrainingPriors.Trained(counts);
        if (!trained.Any(t => t))
        {
            return new DecoderInputs([.. dataset.Lexicon], logPriors, trained, 0, hasTrainingFrames: false);
        }

        var lexicon = new List<LexiconEntry>();
        int removed = 0;
        foreach (LexiconEntry entry in dataset.Lexicon)
        {
            var kept = entry.Pronunciations.Where(p => p.All(phone => UsesTrainedClasses(phone, dataset.StatesPerPhone, trained))).ToList();
            removed += entry.Pronunciations.Count - kept.Count;
            if (kept.Count > 0)
            {
                lexicon.Add(new LexiconEntry(entry.Word, kept));
            }
        }

        if (lexicon.Count == 0)
        {
            throw new InvalidOperationException("No pronunciation of the lexicon is covered by training frames; the dataset cannot be decoded.");
        }

        return new DecoderInputs([.. lexicon], logPriors, trained, removed, hasTrainingFrames: true);
    }

    private static bool UsesTrainedClasses(int phone, int statesPerPhone, bool[] trained)
    {
        for (int state = 0; state < statesPerPhone; state++)
        {
            int frameClass = SpeechDataset.FrameClass(phone, state, statesPerPhone);
            if (frameClass >= trained.Length || !trained[frameClass])
            {
                return false;
            }
        }

        return true;
    }
}
