namespace CompactRnn.Layers;

/// <summary>
/// What one gate matrix costs, from its spec and shape alone (see <c>NetworkFootprint</c>, which adds these up
/// for a network before anything is allocated).
/// </summary>
/// <param name="ParameterCount">Exactly the built matrix's <c>GateMatrix.ParameterCount</c>.</param>
/// <param name="CacheFloats">An upper bound on its prepared cache without Toeplitz-like dense forms.</param>
/// <param name="DenseFormFloats">The extra cache of a Toeplitz-like dense form (m·n floats plus write scratch).</param>
/// <param name="WorkingFloats">An upper bound on the floats it allocates for itself (FFT plans, twiddles, η tables).</param>
internal readonly record struct GateMatrixFootprint(long ParameterCount, long CacheFloats, long DenseFormFloats, long WorkingFloats)
{
    /// <summary>FFT plan and twiddle floats per transform length N, an upper bound (Bluestein's padded length is below 4N).</summary>
    public const long PlanFloatsPerLength = 96;

    /// <summary>FFT scratch floats per transform length N, an upper bound (2N for a power of two, 4·(padded length) for Bluestein).</summary>
    public const long ScratchFloatsPerLength = 16;

    /// <summary>Parameters only: kinds with no cache and no working arrays.</summary>
    public static GateMatrixFootprint Parameters(long count) => new(count, 0, 0, 0);

    /// <summary>4·⌈r/2⌉·N floats of generator spectra and one FFT's scratch.</summary>
    public static long Spectra(long displacementRank, long size) => checked((4 * ((displacementRank + 1) / 2) * size) + (ScratchFloatsPerLength * size));

    /// <summary>The m×n dense form and the scratch for writing it (6N + FFT scratch).</summary>
    public static long DenseForm(long outputSize, long inputSize, long size) => checked((outputSize * inputSize) + ((6 + ScratchFloatsPerLength) * size));
}
