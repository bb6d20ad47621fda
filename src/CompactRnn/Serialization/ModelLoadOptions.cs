namespace CompactRnn.Serialization;

/// <summary>Limits of a model load (<c>LstmModel.Load</c>).</summary>
public sealed record ModelLoadOptions
{
    /// <summary>The default budget: 4 GiB.</summary>
    public const long DefaultMaxBytes = 4L << 30;

    /// <summary>The defaults.</summary>
    public static ModelLoadOptions Default { get; } = new();

    /// <summary>
    /// The most bytes a load may hold once done: the parameters, the prepared cache (without Toeplitz-like
    /// dense forms, which only large batch calls build) and the matrices' working arrays (FFT plans,
    /// twiddles), as bounded by <c>NetworkFootprint.LoadBytes</c> from the configuration alone, before
    /// anything is allocated. A file that needs more is rejected with <see cref="System.IO.InvalidDataException"/>.
    /// Default <see cref="DefaultMaxBytes"/> (4 GiB).
    /// </summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;
}
