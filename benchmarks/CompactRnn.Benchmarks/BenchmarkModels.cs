using System;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Benchmarks;

/// <summary>The anchor model shapes shared by every benchmark, so all suites measure the same models.</summary>
public static class BenchmarkModels
{
    /// <summary>
    /// The paper's hybrid for the 3-layer LSTMP h1024 p512 shape: Toeplitz-like (r = 4) bottom layers, the
    /// second projecting to 128, and a shared low-rank top layer whose 128-value projection is read by its own
    /// recurrence and by the output layer (about 17% of the dense parameters).
    /// </summary>
    public const string LstmpHybridSpec = "toeplitz:r=4 x1 | toeplitz:r=4,p=128 x1 | shared-lowrank:k=128 x1";

    /// <summary>The hybrid used for the 1-layer LSTM shape.</summary>
    public const string LstmHybridSpec = "toeplitz:r=8 x1";

    /// <summary>Network options for a shape (<c>lstm-h512</c> or <c>lstmp-h1024-p512</c>), a kind (<c>dense</c> or <c>hybrid</c>) and a class count.</summary>
    public static LstmNetworkOptions Options(string shape, string kind, int classes)
    {
        (string spec, LstmLayerOptions defaults) = shape switch
        {
            "lstm-h512" => (kind == "dense" ? "dense x1" : LstmHybridSpec, new LstmLayerOptions { HiddenSize = 512 }),
            "lstmp-h1024-p512" => (kind == "dense" ? "dense x3" : LstmpHybridSpec, new LstmLayerOptions { HiddenSize = 1024, ProjectionSize = 512 }),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown benchmark shape."),
        };
        return new LstmNetworkOptions { InputSize = 40, Layers = NetworkSpec.Parse(spec, defaults), OutputSize = classes };
    }
}
