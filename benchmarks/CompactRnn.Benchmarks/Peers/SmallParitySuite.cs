using System;
using System.Collections.Generic;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Parameters;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// Parity of the ONNX export on small networks that exercise every mapping the benchmark shapes do not:
/// peepholes and non-zero biases (gate and peephole reordering for the LSTM operator), cell and
/// projection clipping (the cell graph), stacked layers and low-rank matrices expanded to dense.
/// Takes well under a second; <c>bench --quick</c> runs it first.
/// </summary>
internal static class SmallParitySuite
{
    /// <summary>The variant names, for <see cref="RunVariant"/>.</summary>
    public static IReadOnlyList<string> VariantNames => [.. Variants().Keys];

    /// <summary>Runs every variant on both the streaming and the whole-sequence graphs; returns (name, worst difference) rows.</summary>
    public static IReadOnlyList<(string Name, float Difference)> Run()
    {
        var results = new List<(string, float)>();
        foreach (string name in VariantNames)
        {
            (float step, float sequence) = RunVariant(name);
            results.Add(($"{name}/step", step));
            results.Add(($"{name}/sequence", sequence));
        }

        return results;
    }

    /// <summary>
    /// Checks one variant's one-step graph over 9 frames and its sequence graph on batch 3 × 7 frames;
    /// throws on a mismatch beyond <see cref="ParityCheck.Tolerance"/>, returns the largest differences.
    /// </summary>
    public static (float Step, float Sequence) RunVariant(string name)
    {
        LstmModel model = PerturbedModel(Variants()[name], seed: name.Length);
        float step;
        using (var streaming = new StreamingPair(model, ortThreads: 1, seed: 3))
        {
            step = streaming.Verify(steps: 9);
        }

        using var sequence = new SequencePair(model, steps: 7, batchSize: 3, ortThreads: 1, seed: 4);
        return (step, sequence.Verify());
    }

    private static Dictionary<string, LstmNetworkOptions> Variants()
    {
        var lstm = new LstmLayerOptions { HiddenSize = 16, Peepholes = true };
        var lstmp = new LstmLayerOptions { HiddenSize = 16, ProjectionSize = 8, Peepholes = true, CellClip = 0.5f, ProjectionClip = 0.3f };
        return new Dictionary<string, LstmNetworkOptions>(StringComparer.Ordinal)
        {
            ["lstm-op-peepholes-2-layers"] = new() { InputSize = 5, Layers = [lstm, lstm with { HiddenSize = 12 }] },
            ["cell-lstm-cellclip"] = new() { InputSize = 5, Layers = [lstm with { CellClip = 0.4f }] },
            ["cell-lstmp-peepholes-clips-2-layers"] = new() { InputSize = 5, Layers = [lstmp, lstmp] },
            ["cell-lstmp-lowrank-2-layers"] = new() { InputSize = 5, Layers = NetworkSpec.Parse("lowrank:k=3 x2", lstmp) },
        };
    }

    // Initialisation leaves peepholes at 0 and most biases at 0, which would hide a wrong gate order.
    private static LstmModel PerturbedModel(LstmNetworkOptions options, int seed)
    {
        var network = new LstmNetwork(options);
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed);
        var random = new Random(seed);
        foreach (ParameterBlock block in network.ParameterBlocks)
        {
            if (block.Name.EndsWith(".b", StringComparison.Ordinal) || block.Name.EndsWith(".peepholes", StringComparison.Ordinal))
            {
                Span<float> values = block.Slice(parameters.AsSpan());
                for (int k = 0; k < values.Length; k++)
                {
                    values[k] = (float)(random.NextDouble() - 0.5);
                }
            }
        }

        return new LstmModel(network, parameters);
    }
}
