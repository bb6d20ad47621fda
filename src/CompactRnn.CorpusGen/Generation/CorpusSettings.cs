using System;
using CompactRnn.Speech.Data;

namespace CompactRnn.CorpusGen.Generation;

/// <summary>How many utterances of each set to synthesise, and the seed that fixes everything else.</summary>
/// <param name="Name">Preset name recorded in the dataset description.</param>
/// <param name="TrainCount">Training utterances.</param>
/// <param name="DevCount">Development utterances.</param>
/// <param name="TestCount">Primary test utterances (unseen voices of the training accents).</param>
/// <param name="TestAccentCount">Unseen-accent test utterances.</param>
/// <param name="CrossSynthCount">Cross-synthesiser (flite) utterances.</param>
/// <param name="Seed">Seed of the generator's random stream.</param>
internal sealed record CorpusSettings(string Name, int TrainCount, int DevCount, int TestCount, int TestAccentCount, int CrossSynthCount, int Seed)
{
    /// <summary>Creates settings with only train, dev and test (no extra evaluation sets).</summary>
    public CorpusSettings(string name, int trainCount, int devCount, int testCount, int seed)
        : this(name, trainCount, devCount, testCount, 0, 0, seed)
    {
    }

    /// <summary>The embedded default (data/digits-default.crds, at most 5 MB): the full design at about 1/25 scale.</summary>
    public static CorpusSettings Default(int seed) => new("default", 760, 100, 170, 50, 50, seed);

    /// <summary>The full set: test ≥ 30,000 words, dev ≥ 8,000 words (1–7 words per utterance, mean 4).</summary>
    public static CorpusSettings Full(int seed) => new("full", 21000, 2100, 7800, 2000, 1500, seed);

    /// <summary>A preset by name.</summary>
    public static CorpusSettings FromPreset(string preset, int seed) => preset switch
    {
        "default" => Default(seed),
        "full" => Full(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Preset must be 'default' or 'full'."),
    };

    /// <summary>Total number of utterances.</summary>
    public int TotalCount => checked(TrainCount + DevCount + TestCount + TestAccentCount + CrossSynthCount);

    /// <summary>The set of the utterance with plan index <paramref name="index"/> (sets follow each other in split order).</summary>
    public DatasetSplit SplitOf(int index)
    {
        int bound = TrainCount;
        if (index < bound)
        {
            return DatasetSplit.Train;
        }

        if (index < (bound += DevCount))
        {
            return DatasetSplit.Dev;
        }

        if (index < (bound += TestCount))
        {
            return DatasetSplit.Test;
        }

        return index < bound + TestAccentCount ? DatasetSplit.TestAccent : DatasetSplit.CrossSynth;
    }
}
