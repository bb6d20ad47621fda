using System;

namespace CompactRnn.Training;

/// <summary>
/// A loss, a gradient or an updated parameter became NaN or infinite. The update that produced it was
/// not applied (or was undone), so the trainer's parameters are the last good ones.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a given update.</summary>
    /// <param name="update">The 0-based parameter update at which it happened.</param>
    /// <param name="what">What was not finite, e.g. "loss" or "gradient of layers.0.Wx.W[17]".</param>
    public TrainingDivergedException(long update, string what)
        : base($"Training diverged at update {update}: {what} is not finite. The parameters are kept at the last good update.")
    {
        Update = update;
    }

    /// <summary>The 0-based parameter update at which the non-finite value appeared.</summary>
    public long Update { get; }
}
