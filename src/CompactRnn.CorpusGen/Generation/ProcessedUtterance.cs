using System.Collections.Generic;

namespace CompactRnn.CorpusGen.Generation;

/// <summary>
/// An utterance after synthesis and the front end, before the phone inventory is fixed: quantised features,
/// phone segments by mnemonic (pauses already mapped to silence) and the pronunciation of each word.
/// </summary>
internal sealed record ProcessedUtterance(
    UtterancePlan Plan,
    int FrameCount,
    byte[] QuantizedFeatures,
    IReadOnlyList<(string Phone, double StartSeconds)> Segments,
    IReadOnlyList<string[]> WordPronunciations,
    double AudioSeconds);
