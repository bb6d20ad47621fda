namespace CompactRnn.Speech.Data;

/// <summary>
/// The partition an utterance belongs to; splits are disjoint by speaker (voice). Train and dev feed training
/// and tuning; test is the primary metric; <see cref="TestAccent"/> and <see cref="CrossSynth"/> are
/// further named evaluation sets reported in their own columns.
/// </summary>
public enum DatasetSplit
{
    /// <summary>Training data; normalisation statistics and class priors come from here.</summary>
    Train = 0,

    /// <summary>Development data, for tuning decoder parameters and early stopping.</summary>
    Dev = 1,

    /// <summary>The primary test set: unseen voices of the training accents (and synthesisers).</summary>
    Test = 2,

    /// <summary>Evaluation only: unseen voices of accents never used in training (set name <c>test-accent</c>).</summary>
    TestAccent = 3,

    /// <summary>Evaluation only: voices of a synthesiser never used in training (set name <c>cross-synth</c>).</summary>
    CrossSynth = 4,
}
