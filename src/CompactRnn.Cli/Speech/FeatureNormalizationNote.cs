using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using CompactRnn.Speech.Data;

namespace CompactRnn.Cli.Speech;

/// <summary>
/// The feature normalisation a model was trained with (the training split's per-dimension μ and σ), kept in the
/// model file's annotations (<c>ModelAnnotations</c>) so <c>eval</c> can warn when a set is normalised otherwise.
/// </summary>
internal static class FeatureNormalizationNote
{
    /// <summary>The annotation's name.</summary>
    public const string Key = "speech.feature-normalization";

    /// <summary>The annotation for <paramref name="statistics"/>: <c>{"mean":[…],"deviation":[…]}</c>, each float written to round-trip exactly.</summary>
    public static KeyValuePair<string, string> For(NormalizationStatistics statistics)
        => new(Key, JsonSerializer.Serialize(new Dictionary<string, float[]> { ["mean"] = [.. statistics.Mean], ["deviation"] = [.. statistics.Deviation] }));

    /// <summary>The statistics a model file records, or null when it records none (a file from before, or an import).</summary>
    /// <exception cref="CliException">The annotation is malformed.</exception>
    public static NormalizationStatistics? Read(IReadOnlyDictionary<string, string> annotations, string path)
    {
        if (!annotations.TryGetValue(Key, out string? text))
        {
            return null;
        }

        try
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, float[]>>(text);
            return values is not null && values.TryGetValue("mean", out float[]? mean) && values.TryGetValue("deviation", out float[]? deviation)
                ? new NormalizationStatistics(mean, deviation)
                : throw new CliException($"{path}: annotation '{Key}' lacks 'mean' or 'deviation'.");
        }
        catch (System.Exception error) when (error is JsonException or System.ArgumentException)
        {
            throw new CliException($"{path}: annotation '{Key}' is malformed: {error.Message}", error);
        }
    }

    /// <summary>Whether two normalisations are the same, value for value.</summary>
    public static bool Same(NormalizationStatistics a, NormalizationStatistics b)
        => a.Mean.SequenceEqual(b.Mean) && a.Deviation.SequenceEqual(b.Deviation);

    /// <summary>A short fingerprint for messages: the dimension and the first mean and deviation.</summary>
    public static string Describe(NormalizationStatistics s)
        => string.Create(CultureInfo.InvariantCulture, $"{s.Dimension} dims, μ₀ {s.Mean[0]:G4}, σ₀ {s.Deviation[0]:G4}");
}
