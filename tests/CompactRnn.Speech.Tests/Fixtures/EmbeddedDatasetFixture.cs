using CompactRnn.Speech.Data;

namespace CompactRnn.Speech.Tests.Fixtures;

/// <summary>Loads the committed default dataset once per test class.</summary>
public sealed class EmbeddedDatasetFixture
{
    public EmbeddedDatasetFixture()
    {
        Dataset = SpeechDataset.Load(RepositoryPaths.DefaultDataset);
    }

    public SpeechDataset Dataset { get; }
}
