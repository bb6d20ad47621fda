using System;
using CompactRnn.Models;

namespace CompactRnn.Benchmarks;

/// <summary>The anchor model shapes shared by every benchmark, so all suites measure the same models.</summary>
public static class BenchmarkModels
{
    /// <summary>The hybrid used for the 3-layer LSTMP shape: Toeplitz-like bottom layers, a shared low-rank top layer.</summary>
    public const string LstmpHybridSpec = "toeplitz:r=8 x2 | lowrank:k=96,p=512 x1";

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
