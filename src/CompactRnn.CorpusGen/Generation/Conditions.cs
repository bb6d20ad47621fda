namespace CompactRnn.CorpusGen.Generation;

/// <summary>
/// The acoustic conditions drawn for one utterance (docs/speech-benchmark.md, "Augmentation"), applied in
/// this order after synthesis: speed perturbation, silence padding, reverberation, spectral tilt and
/// peaking EQ, telephone band limit, additive noise, gain, dither.
/// </summary>
/// <param name="Speed">Speed factor (1 = unchanged; 1.1 is 10 % faster and higher); the audio is resampled as if recorded at rate·Speed.</param>
/// <param name="ReverbSeconds">RT60 of the synthetic room impulse response, or 0 for none.</param>
/// <param name="Tilt">First-order tilt coefficient b of y[n] = x[n] − b·x[n−1] (0 = none); b &gt; 0 brightens, b &lt; 0 darkens.</param>
/// <param name="EqCentreHz">Centre of a peaking EQ band, or 0 for none.</param>
/// <param name="EqGainDb">Gain of the peaking EQ band in dB.</param>
/// <param name="Telephone">Band-limit through 8 kHz sampling and back to 16 kHz.</param>
internal sealed record Conditions(double Speed, double ReverbSeconds, double Tilt, double EqCentreHz, double EqGainDb, bool Telephone)
{
    /// <summary>No augmentation.</summary>
    public static Conditions None { get; } = new(1.0, 0.0, 0.0, 0.0, 0.0, false);
}
