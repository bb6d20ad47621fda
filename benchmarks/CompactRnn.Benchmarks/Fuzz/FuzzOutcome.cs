namespace CompactRnn.Benchmarks.Fuzz;

/// <summary>How one fuzz case ended.</summary>
internal enum FuzzOutcome
{
    /// <summary>The file was read (and the result then exercised without error).</summary>
    Loaded,

    /// <summary>Rejected with <see cref="System.IO.InvalidDataException"/> (content).</summary>
    InvalidData,

    /// <summary>Rejected with another <see cref="System.IO.IOException"/>.</summary>
    IOError,

    /// <summary>Rejected with an <see cref="System.ArgumentException"/> (an API's argument; never expected from a file).</summary>
    Argument,

    /// <summary>Any other exception: a defect.</summary>
    Undocumented,

    /// <summary>Read without error, but using the result failed or showed non-finite values: a defect.</summary>
    FailedAfterLoad,
}
