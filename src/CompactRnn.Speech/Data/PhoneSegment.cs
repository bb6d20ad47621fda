namespace CompactRnn.Speech.Data;

/// <summary>A phone class starting at <paramref name="StartSeconds"/> and lasting until the next segment.</summary>
/// <param name="Phone">Phone class index (0 is silence).</param>
/// <param name="StartSeconds">Start time in seconds from the beginning of the audio.</param>
public readonly record struct PhoneSegment(int Phone, double StartSeconds);
