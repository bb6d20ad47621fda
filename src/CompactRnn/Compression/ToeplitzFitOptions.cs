using System;
using System.Collections.Generic;

namespace CompactRnn.Compression;

/// <summary>The fit of Toeplitz-like generators and, for <see cref="ToeplitzFit.Activations"/>, its data.</summary>
public sealed record ToeplitzFitOptions
{
    /// <summary>The default fit, <see cref="ToeplitzFit.DisplacementSvd"/>, which needs no data.</summary>
    public static ToeplitzFitOptions Default { get; } = new();

    /// <summary>The fit method.</summary>
    public ToeplitzFit Method { get; init; } = ToeplitzFit.DisplacementSvd;

    /// <summary>
    /// <see cref="ToeplitzFit.Activations"/> only: the sample utterances, each the source model's inputs of one
    /// utterance time-major, T·n_in floats (T ≥ 1, a whole multiple of n_in). Only their second moments are kept,
    /// so memory does not grow with their number.
    /// </summary>
    public IReadOnlyList<float[]>? Utterances { get; init; }

    /// <summary><see cref="ToeplitzFit.Activations"/> only: L-BFGS iterations per layer. At the full preset's sizes 300
    /// iterations left twice the residual of 2 000 and 10 points of dev frame accuracy (results/compress-fits).</summary>
    public int MaxIterations { get; init; } = 2000;

    /// <summary><see cref="ToeplitzFit.Activations"/> only: receives one line per fitted layer (relative residual
    /// before and after), or null.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Checks the method and, for the activation fit, that there is data.</summary>
    internal void Validate(string parameterName)
    {
        if (!Enum.IsDefined(Method))
        {
            throw new ArgumentOutOfRangeException(parameterName, Method, "Unknown Toeplitz-like fit.");
        }

        if (Method == ToeplitzFit.Activations)
        {
            if (Utterances is null || Utterances.Count == 0)
            {
                throw new ArgumentException("The activation fit needs at least one sample utterance (ToeplitzFitOptions.Utterances).", parameterName);
            }

            if (MaxIterations < 1)
            {
                throw new ArgumentOutOfRangeException(parameterName, MaxIterations, "ToeplitzFitOptions.MaxIterations must be at least 1.");
            }
        }
    }
}
