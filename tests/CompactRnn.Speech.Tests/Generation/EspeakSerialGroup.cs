namespace CompactRnn.Speech.Tests.Generation;

/// <summary>Tests that use espeak-ng (library or command) run in this collection, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EspeakSerialGroup
{
    public const string Name = "espeak-ng";
}
