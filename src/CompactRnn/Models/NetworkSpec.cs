using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// The one-line form of a layer stack, so a hybrid is one line of configuration:
/// <c>toeplitz:r=8 x2 | shared-lowrank:k=128 x1</c>, or a layer whose W_x and W_r differ:
/// <c>toeplitz:r=8/lowrank:k=32 x1 | dense x2</c>.
/// </summary>
/// <remarks>
/// <para>Grammar: layers separated by <c>|</c>, bottom first; each group is <c>layer [xCount]</c>, and a layer is
/// <c>part</c> (W_x and W_r of one kind) or <c>part/part</c> (W_x's kind, then W_r's), where a part is
/// <c>kind[:key=value[,key=value…]]</c>. Kinds (each a <see cref="GateMatrixSpec"/> record):</para>
/// <list type="bullet">
/// <item><c>dense</c>: dense matrices.</item>
/// <item><c>lowrank:k=K</c>: W = U V, stacked gates (docs/math.md §5 scheme B).</item>
/// <item><c>lowrank-pergate:k=K</c>: one U·V per gate block (scheme A).</item>
/// <item><c>toeplitz:r=R</c>: Toeplitz-like of displacement rank R (scheme D), embedded in one square matrix.</item>
/// <item><c>toeplitz-stacked:r=R</c>: the same class built from stacked square blocks (docs/math.md §10 option 2).</item>
/// <item><c>shared-lowrank:k=K</c> (alone, or as the W_r part): the layer's output is projected once to K values,
/// r_t = P m_t, and that P is the shared right factor of this layer's dense recurrence and of the next layer's
/// (or the output layer's) input matrix (scheme C): an LSTMP with projection size K. Alone, W_x is dense;
/// <c>toeplitz:r=R/shared-lowrank:k=K</c> makes W_x Toeplitz-like.</item>
/// </list>
/// <para>Optional keys, at most once per layer, in any part: <c>h=</c> cells, <c>p=</c> projection size (0 = none;
/// not with shared-lowrank, whose k is the projection size), <c>init=vp|rank-scaled|orth</c>
/// (<see cref="LstmLayerOptions.Init"/>, docs/math.md §9). Anything not given comes from the
/// <see cref="LstmLayerOptions"/> passed as defaults. <see cref="Format(IReadOnlyList{LstmLayerOptions})"/> writes every layer in this grammar, so
/// <c>Parse(Format(layers), any defaults)</c> gives back the same layers (peepholes, clips and forget bias aside,
/// which the text does not carry).</para>
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
                throw new FormatException($"Cannot read '{group}': expected 'kind[:key=value,…][/kind[:key=value,…]] [xCount]'.");
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
    /// The canonical spec text of a layer stack: groups of equal consecutive layers, each written by
    /// <see cref="FormatLayer"/> with its count, e.g. <c>toeplitz:r=4,h=128,p=0 x2 | shared-lowrank:k=64,h=128 x1</c>.
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

            groups.Add(string.Create(CultureInfo.InvariantCulture, $"{FormatLayer(layers[i])} x{j - i}"));
            i = j;
        }

        return string.Join(" | ", groups);
    }

    /// <summary>
    /// The canonical spec text of a network as built: each matrix's rank is the rank it gets for its shape
    /// (<see cref="GateMatrixSpec.Effective"/>), so <c>lowrank:k=64</c> on a layer with 40 inputs prints W_x at k=40
    /// (<c>lowrank:k=40/lowrank:k=64,…</c>). A model file stores the requested ranks; this is what <c>compactrnn info</c> prints.
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

    /// <summary>
    /// One layer in the grammar above with its sizes: <c>dense:h=128,p=64</c>, <c>toeplitz:r=4,h=128,p=0</c>,
    /// <c>toeplitz:r=4/lowrank:k=16,h=128,p=64</c> (W_x and W_r differ), <c>shared-lowrank:k=64,h=128</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The layer is invalid (<see cref="LstmLayerOptions.Validate"/>).</exception>
    public static string FormatLayer(LstmLayerOptions layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        layer.Validate();
        if (layer.ProjectionSize > 0 && layer.Projection is SharedLowRankGateMatrixSpec shared)
        {
            string sharedPart = string.Create(CultureInfo.InvariantCulture, $"{shared},h={layer.HiddenSize}") + InitKey(layer);
            return layer.Input is DenseGateMatrixSpec ? sharedPart : $"{layer.Input}/{sharedPart}";
        }

        string matrices = layer.Input == layer.Recurrent ? layer.Input.ToString() : $"{layer.Input}/{layer.Recurrent}";
        char separator = layer.Recurrent is DenseGateMatrixSpec ? ':' : ',';
        return string.Create(CultureInfo.InvariantCulture, $"{matrices}{separator}h={layer.HiddenSize},p={layer.ProjectionSize}") + InitKey(layer);
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

    // The scheme is written only when it is not the library's default, so specs of default layers read as before.
    private static string InitKey(LstmLayerOptions layer)
        => layer.Init == LstmLayerOptions.DefaultInit ? string.Empty : ",init=" + FormatInit(layer.Init);

    private static LstmLayerOptions ParseLayer(string text, LstmLayerOptions defaults)
    {
        string[] parts = text.Split('/');
        if (parts.Length > 2)
        {
            throw new FormatException($"Cannot read '{text}': a layer is 'W_x-kind' or 'W_x-kind/W_r-kind'.");
        }

        var sizes = new Dictionary<char, int>();
        GateMatrixInit? init = null;
        GateMatrixSpec input = ParsePart(parts[0], text, sizes, ref init);
        GateMatrixSpec recurrent = parts.Length == 2 ? ParsePart(parts[1], text, sizes, ref init) : input;
        if (parts.Length == 2 && input is SharedLowRankGateMatrixSpec)
        {
            throw new FormatException($"Cannot read '{text}': shared-lowrank is the layer's projection, so it can only be the W_r part (e.g. 'toeplitz:r=4/shared-lowrank:k=64').");
        }

        LstmLayerOptions layer = defaults with
        {
            HiddenSize = sizes.GetValueOrDefault('h', defaults.HiddenSize),
            ProjectionSize = sizes.GetValueOrDefault('p', defaults.ProjectionSize),
            Input = input,
            Recurrent = recurrent,
            Projection = GateMatrixSpec.Dense,
            Init = init ?? defaults.Init,
        };
        if (recurrent is SharedLowRankGateMatrixSpec shared)
        {
            if (sizes.ContainsKey('p'))
            {
                throw new FormatException($"'{text}' gives p= with shared-lowrank, whose k= is the projection size; leave out p=.");
            }

            layer = layer with
            {
                ProjectionSize = shared.Rank,
                Input = input is SharedLowRankGateMatrixSpec ? GateMatrixSpec.Dense : input,
                Recurrent = GateMatrixSpec.Dense,
                Projection = shared,
            };
        }

        return layer;
    }

    // One 'kind[:key=value,…]': the kind's own size key goes into its spec, h= and p= into the layer's sizes, init= into the layer's scheme.
    private static GateMatrixSpec ParsePart(string part, string layer, Dictionary<char, int> sizes, ref GateMatrixInit? init)
    {
        int colon = part.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? part : part[..colon];
        char? sizeKey = null;
        int size = 0;
        if (colon >= 0)
        {
            foreach (string pair in part[(colon + 1)..].Split(','))
            {
                string[] halves = pair.Split('=');
                if (halves.Length == 2 && halves[0] == "init")
                {
                    init = init is null ? ReadInit(halves[1], layer) : throw new FormatException($"'init=' is given twice in '{layer}'.");
                    continue;
                }

                if (halves.Length != 2 || halves[0].Length != 1 || !"krhp".Contains(halves[0][0], StringComparison.Ordinal)
                    || !int.TryParse(halves[1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > LstmNetworkOptions.MaxSize)
                {
                    throw new FormatException($"Cannot read '{pair}' in '{layer}': expected k=, r=, h= or p= with a whole number up to {LstmNetworkOptions.MaxSize}, or init=vp|rank-scaled|orth.");
                }

                char key = halves[0][0];
                if (key is 'h' or 'p')
                {
                    if (!sizes.TryAdd(key, value))
                    {
                        throw new FormatException($"'{key}=' is given twice in '{layer}'.");
                    }

                    if (key == 'h' && value == 0)
                    {
                        throw new FormatException($"'{layer}' needs h=<cells> (a positive whole number).");
                    }
                }
                else if (sizeKey is not null)
                {
                    throw new FormatException($"'{halves[0]}=' is given twice in '{part}' of '{layer}'.");
                }
                else
                {
                    (sizeKey, size) = (key, value);
                }
            }
        }

        if (kind == DenseGateMatrixSpec.Name)
        {
            return sizeKey is null ? GateMatrixSpec.Dense : throw new FormatException($"'{part}' in '{layer}': dense takes no '{sizeKey}='.");
        }

        GateMatrixSpec spec;
        try
        {
            spec = GateMatrixSpec.Create(kind, Math.Max(size, 1), "spec");
        }
        catch (ArgumentException error)
        {
            // Sizes are range-checked above, so only the kind can be wrong here.
            throw new FormatException($"Unknown layer kind '{kind}' in '{layer}'; expected {GateMatrixSpec.KnownKinds}.", error);
        }

        if (sizeKey != spec.SizeKey || size < 1)
        {
            string what = spec.SizeKey == 'r' ? "displacement rank" : "rank";
            throw new FormatException($"'{part}' in '{layer}' needs {spec.SizeKey}=<{what}> (a positive whole number).");
        }

        return spec;
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
}
