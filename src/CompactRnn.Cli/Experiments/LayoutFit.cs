using System;
using System.Collections.Generic;
using CompactRnn.Compression;
using CompactRnn.Speech.Data;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// How a layout's Toeplitz-like layers are fitted to the source model (docs/math.md §14): the method and, for the
/// activation fit, its sample utterances and L-BFGS iterations. Layers of other kinds (truncated SVD, shared
/// low-rank) do not depend on it.
/// </summary>
/// <param name="Method">The Toeplitz-like fit.</param>
/// <param name="Utterances">The activation fit's sample (normalised features, time-major); empty for the other fits.</param>
/// <param name="Iterations">The activation fit's L-BFGS iterations per layer.</param>
internal sealed record LayoutFit(ToeplitzFit Method, IReadOnlyList<float[]> Utterances, int Iterations)
{
    /// <summary>Training utterances of the activation fit's sample, as <c>compress --fit-utterances</c>.</summary>
    public const int DefaultUtterances = 300;

    /// <summary>
    /// L-BFGS iterations per layer of each candidate's activation fit in a layout search: a quarter of the
    /// library's 2 000 (<see cref="ToeplitzFitOptions.MaxIterations"/>), so a search of eight hybrids costs about
    /// what two full fits do. The chosen layout is then fitted again with the full count.
    /// </summary>
    public const int DefaultSearchIterations = 500;

    /// <summary>The displacement-SVD fit (needs no data).</summary>
    public static LayoutFit DisplacementSvd { get; } = WithoutData(ToeplitzFit.DisplacementSvd);

    /// <summary>A fit that reads no utterances (<see cref="ToeplitzFit.DisplacementSvd"/> or <see cref="ToeplitzFit.Exact"/>).</summary>
    /// <param name="method">The fit.</param>
    public static LayoutFit WithoutData(ToeplitzFit method) => new(method, [], 0);

    /// <summary>
    /// The activation fit on <paramref name="utterances"/> utterances evenly spaced over <paramref name="train"/> (all
    /// of them if it has fewer), so the sample covers the split's voices whatever their order in the file.
    /// </summary>
    /// <param name="dataset">The dataset; features are normalised as the model saw them in training.</param>
    /// <param name="train">Its training utterances.</param>
    /// <param name="utterances">The sample size.</param>
    /// <param name="iterations">L-BFGS iterations per layer.</param>
    /// <exception cref="ArgumentException">No training utterances, or a count below 1.</exception>
    public static LayoutFit Activations(SpeechDataset dataset, IReadOnlyList<Utterance> train, int utterances, int iterations)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(utterances, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (train.Count == 0)
        {
            throw new ArgumentException("The activation fit needs at least one training utterance.", nameof(train));
        }

        int taken = Math.Min(utterances, train.Count);
        var features = new float[taken][];
        for (int i = 0; i < taken; i++)
        {
            features[i] = dataset.GetNormalizedFeatures(train[(int)((long)i * train.Count / taken)]);
        }

        return new LayoutFit(ToeplitzFit.Activations, features, iterations);
    }

    /// <summary>The method's name as <c>--fit</c> and search.csv spell it: <c>activations</c>, <c>svd</c> or <c>exact</c>.</summary>
    public string Name => Format(Method);

    /// <summary>The same fit with another iteration count (the activation fit only; the others have none).</summary>
    public LayoutFit WithIterations(int iterations) => Method == ToeplitzFit.Activations ? this with { Iterations = iterations } : this;

    /// <summary>The library's options of this fit; <paramref name="log"/> receives the activation fit's per-layer lines.</summary>
    public ToeplitzFitOptions Options(Action<string>? log = null) => Method == ToeplitzFit.Activations
        ? new ToeplitzFitOptions { Method = Method, Utterances = Utterances, MaxIterations = Iterations, Log = log }
        : new ToeplitzFitOptions { Method = Method };

    /// <summary>The name of a fit method (see <see cref="Name"/>).</summary>
    public static string Format(ToeplitzFit method) => method switch
    {
        ToeplitzFit.Activations => "activations",
        ToeplitzFit.Exact => "exact",
        ToeplitzFit.DisplacementSvd => "svd",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown Toeplitz-like fit."),
    };

    /// <summary>Reads a name written by <see cref="Format"/>.</summary>
    /// <exception cref="FormatException">Another name.</exception>
    public static ToeplitzFit Parse(string name) => name switch
    {
        "activations" => ToeplitzFit.Activations,
        "exact" => ToeplitzFit.Exact,
        "svd" => ToeplitzFit.DisplacementSvd,
        _ => throw new FormatException($"Unknown Toeplitz-like fit '{name}'; expected activations, svd or exact."),
    };
}
