namespace CompactRnn.Speech.Data;

/// <summary>The partition an utterance belongs to; splits are disjoint by speaker (voice).</summary>
public enum DatasetSplit
{
    /// <summary>Training data; normalisation statistics and class priors come from here.</summary>
    Train = 0,

    /// <summary>Development data, for tuning decoder parameters and early stopping.</summary>
    Dev = 1,

    /// <summary>Held-out evaluation data with unseen voices (and an unseen accent).</summary>
    Test = 2,
}
