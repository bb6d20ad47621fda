using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// The one-line form of a layer stack, so a hybrid is one line of configuration:
/// <c>toeplitz:r=8 x2 | shared-lowrank:k=128 x1</c>.
/// </summary>
/// <remarks>
/// <para>Grammar: layers separated by <c>|</c>, bottom first; each group is
/// <c>kind[:key=value[,key=value…]] [xCount]</c>. Kinds:</para>
/// <list type="bullet">
/// <item><c>dense</c>: dense W_x and W_r.</item>
/// <item><c>lowrank:k=K</c>: W_x = U_x V_x and W_r = U_r V_r, stacked gates (docs/math.md §5 scheme B).</item>
/// <item><c>lowrank-pergate:k=K</c>: one U·V per gate block (scheme A).</item>
/// <item><c>toeplitz:r=R</c>: Toeplitz-like W_x and W_r of displacement rank R (scheme D), each embedded in one square matrix.</item>
/// <item><c>toeplitz-stacked:r=R</c>: the same class built from stacked square blocks (docs/math.md §10 option 2).</item>
/// <item><c>shared-lowrank:k=K</c>: the layer's output is projected once to K values, r_t = P m_t, and that
/// P is the shared right factor of this layer's recurrence and of the next layer's (or the output
/// layer's) input matrix (scheme C): an LSTMP with projection size K.</item>
/// </list>
/// <para>Optional keys on any group: <c>h=</c> cells, <c>p=</c> projection size (0 = none), <c>init=vp|rank-scaled|orth</c>
/// (<see cref="LstmLayerOptions.Init"/>, docs/math.md §9). Anything not
/// given comes from the <see cref="LstmLayerOptions"/> passed as defaults.</para>
/// </remarks>
public static class NetworkSpec
{
    /// <summary>Parses a spec into per-layer options.</summary>
    /// <param name="spec">The spec text.</param>
    /// <param name="defaults">Hidden size, projection, peepholes, clips and forget bias for every layer.</param>
    /// <exception cref="FormatException">The text does not follow the grammar (a key given twice, more than
    /// <see cref="LstmNetworkOptions.MaxLayers"/> layers, a size above <see cref="LstmNetworkOptions.MaxSize"/>); the message quotes the bad part.</exception>
    public static IReadOnlyList<LstmLayerOptions> Parse(string spec, LstmLayerOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(defaults);
        var layers = new List<LstmLayerOptions>();
        foreach (string rawGroup in spec.Split('|'))
        {
            string group = rawGroup.Trim();
            if (group.Length == 0)
            {
                throw new FormatException($"Empty layer group in spec '{spec}'.");
            }

            string[] words = group.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int count = 1;
            if (words.Length == 2 && words[1].StartsWith('x') && int.TryParse(words[1].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed > 0)
            {
                count = parsed;
            }
            else if (words.Length != 1)
            {
                throw new FormatException($"Cannot read '{group}': expected 'kind[:key=value,…] [xCount]'.");
            }

            if (count > LstmNetworkOptions.MaxLayers - layers.Count)
            {
                throw new FormatException($"'{group}' makes more than {LstmNetworkOptions.MaxLayers} layers in spec '{spec}'.");
            }

            LstmLayerOptions layer = ParseLayer(words[0], defaults);
            layers.AddRange(Enumerable.Repeat(layer, count));
        }

        return layers;
    }

    /// <summary>
    /// The canonical spec text of a layer stack (groups of equal consecutive layers). A layer whose W_x and W_r
    /// kinds differ (made by compression) is written <c>W_x toeplitz:r=4 / W_r dense:h=…,p=…</c>, which names both.
    /// </summary>
    public static string Format(IReadOnlyList<LstmLayerOptions> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var groups = new List<string>();
        for (int i = 0; i < layers.Count;)
        {
            int j = i;
            while (j < layers.Count && layers[j] == layers[i])
            {
                j++;
            }

            groups.Add(string.Create(CultureInfo.InvariantCulture, $"{Describe(layers[i])} x{j - i}"));
            i = j;
        }

        return string.Join(" | ", groups);
    }

    /// <summary>
    /// The canonical spec text of a network as built: each matrix's rank is the rank it gets for its shape
    /// (<see cref="GateMatrixSpec.Effective"/>), so <c>lowrank:k=64</c> on a layer with 40 inputs prints W_x at k=40.
    /// A model file stores the requested ranks; this is what <c>compactrnn info</c> prints.
    /// </summary>
    public static string Format(LstmNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var layers = new List<LstmLayerOptions>(options.Layers.Count);
        int inputSize = options.InputSize;
        foreach (LstmLayerOptions layer in options.Layers)
        {
            int gates = 4 * layer.HiddenSize;
            layers.Add(layer with
            {
                Input = layer.Input.Effective(gates, inputSize, 4),
                Recurrent = layer.Recurrent.Effective(gates, layer.OutputSize, 4),
                Projection = layer.ProjectionSize > 0 ? layer.Projection.Effective(layer.OutputSize, layer.HiddenSize, 1) : layer.Projection,
            });
            inputSize = layer.OutputSize;
        }

        return Format(layers);
    }

    /// <summary>The text form of an initialisation scheme: <c>vp</c>, <c>rank-scaled</c> or <c>orth</c>.</summary>
    public static string FormatInit(GateMatrixInit init) => init switch
    {
        GateMatrixInit.VariancePreserving => "vp",
        GateMatrixInit.RankScaled => "rank-scaled",
        GateMatrixInit.SemiOrthogonal => "orth",
        _ => throw new ArgumentOutOfRangeException(nameof(init), init, "Unknown initialisation scheme."),
    };

    /// <summary>Reads <c>vp</c>, <c>rank-scaled</c> or <c>orth</c> (<see cref="FormatInit"/>).</summary>
    /// <exception cref="ArgumentException">Any other text; the message quotes it.</exception>
    public static GateMatrixInit ParseInit(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text switch
        {
            "vp" => GateMatrixInit.VariancePreserving,
            "rank-scaled" => GateMatrixInit.RankScaled,
            "orth" => GateMatrixInit.SemiOrthogonal,
            _ => throw new ArgumentException($"Unknown initialisation '{text}'; expected vp, rank-scaled or orth.", nameof(text)),
        };
    }

    private static GateMatrixInit ReadInit(string value, string text)
    {
        try
        {
            return ParseInit(value);
        }
        catch (ArgumentException error)
        {
            throw new FormatException($"{error.Message} (in '{text}')", error);
        }
    }

    private static string Describe(LstmLayerOptions layer)
    {
        // The scheme is written only when it is not the library's default, so specs of default layers read as before.
        string sizes = string.Create(CultureInfo.InvariantCulture, $"h={layer.HiddenSize},p={layer.ProjectionSize}")
            + (layer.Init == LstmLayerOptions.DefaultInit ? string.Empty : ",init=" + FormatInit(layer.Init));
        if (layer.Input.Kind == "dense" && layer.Recurrent.Kind == "dense")
        {
            return "dense:" + sizes;
        }

        if (layer.Input != layer.Recurrent)
        {
            // A compressed model can mix kinds (e.g. only W_x made Toeplitz-like); naming only one would misreport it.
            return string.Create(CultureInfo.InvariantCulture, $"W_x {layer.Input} / W_r {layer.Recurrent}:{sizes}");
        }

        string key = layer.Input.Kind.StartsWith("toeplitz", StringComparison.Ordinal) ? "r" : "k";
        return string.Create(CultureInfo.InvariantCulture, $"{layer.Input.Kind}:{key}={layer.Input.Rank},{sizes}");
    }

    private static LstmLayerOptions ParseLayer(string text, LstmLayerOptions defaults)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? text : text[..colon];
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        GateMatrixInit? init = null;
        if (colon >= 0)
        {
            foreach (string pair in text[(colon + 1)..].Split(','))
            {
                string[] parts = pair.Split('=');
                if (parts.Length == 2 && parts[0] == "init")
                {
                    init = init is null ? ReadInit(parts[1], text) : throw new FormatException($"'init=' is given twice in '{text}'.");
                    continue;
                }

                if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > LstmNetworkOptions.MaxSize || !"krhp".Contains(parts[0], StringComparison.Ordinal) || parts[0].Length != 1)
                {
                    throw new FormatException($"Cannot read '{pair}' in '{text}': expected k=, r=, h= or p= with a whole number up to {LstmNetworkOptions.MaxSize}.");
                }

                if (!values.TryAdd(parts[0], value))
                {
                    throw new FormatException($"'{parts[0]}=' is given twice in '{text}'.");
                }
            }
        }

        int Get(string key, string what)
            => values.TryGetValue(key, out int value) && value > 0 ? value
                : throw new FormatException($"'{text}' needs {key}=<{what}> (a positive whole number).");

        LstmLayerOptions layer = defaults with
        {
            HiddenSize = values.GetValueOrDefault("h", defaults.HiddenSize),
            ProjectionSize = values.GetValueOrDefault("p", defaults.ProjectionSize),
            Init = init ?? defaults.Init,
        };
        return kind switch
        {
            "dense" => layer with { Input = GateMatrixSpec.Dense, Recurrent = GateMatrixSpec.Dense },
            "lowrank" or "lowrank-pergate" => layer with { Input = new GateMatrixSpec(kind, Get("k", "rank")), Recurrent = new GateMatrixSpec(kind, Get("k", "rank")) },
            "toeplitz" or "toeplitz-stacked" => layer with { Input = new GateMatrixSpec(kind, Get("r", "displacement rank")), Recurrent = new GateMatrixSpec(kind, Get("r", "displacement rank")) },
            "shared-lowrank" => layer with { ProjectionSize = Get("k", "rank"), Input = GateMatrixSpec.Dense, Recurrent = GateMatrixSpec.Dense },
            _ => throw new FormatException($"Unknown layer kind '{kind}'; expected dense, lowrank, lowrank-pergate, toeplitz, toeplitz-stacked or shared-lowrank."),
        };
    }
}
