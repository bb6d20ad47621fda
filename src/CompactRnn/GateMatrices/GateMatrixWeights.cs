using System;

namespace CompactRnn.GateMatrices;

/// <summary>
/// The read-only state a <see cref="GateMatrix"/> multiplies with: its slice of the flat parameter
/// buffer and its slice of the derived cache (for example the FFT spectra of Toeplitz-like generators),
/// which <see cref="GateMatrix.Prepare"/> refreshes after every weight update.
/// </summary>
public readonly ref struct GateMatrixWeights
{
    /// <summary>Bundles a parameter slice with its cache slice.</summary>
    /// <param name="parameters">Exactly <see cref="GateMatrix.ParameterCount"/> floats.</param>
    /// <param name="cache">Exactly <see cref="GateMatrix.CacheSize"/> floats (empty when the kind has no cache).</param>
    public GateMatrixWeights(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache)
    {
        Parameters = parameters;
        Cache = cache;
    }

    /// <summary>The matrix's parameters, laid out as <see cref="GateMatrix.ParameterBlocks"/> describes.</summary>
    public ReadOnlySpan<float> Parameters { get; }

    /// <summary>Values derived from <see cref="Parameters"/> by <see cref="GateMatrix.Prepare"/>.</summary>
    public ReadOnlySpan<float> Cache { get; }
}
