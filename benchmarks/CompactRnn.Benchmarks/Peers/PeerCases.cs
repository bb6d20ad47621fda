using System;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>The shapes of issue 6's "Cases and targets" table, in one place for BenchmarkDotNet and <c>bench --quick</c>.</summary>
internal static class PeerCases
{
    /// <summary>The hybrid of the third streaming case (LSTMP h1024 p512, 3 layers, at most 25% of the dense parameters).</summary>
    public const string HybridSpec = BenchmarkModels.LstmpHybridSpec;

    /// <summary>The dense LSTMP stack of the second and fourth cases.</summary>
    public const string DenseLstmpSpec = "dense x3";

    public const int Seed = 20260601;
    public const int InputSize = 40;
    public const int SequenceSteps = 100;
    public const int SequenceBatch = 32;
    public const int TrainingSteps = 20;
    public const int TrainingBatch = 32;
    public const int TrainingClasses = 10;

    /// <summary>The streaming cases by name (BenchmarkDotNet parameter values).</summary>
    public static readonly string[] StreamingCaseNames = ["lstm-h512-dense", "lstmp-h1024-p512-x3-dense", "lstmp-h1024-p512-x3-hybrid"];

    /// <summary>Cell counts of the Toeplitz-like against dense streaming cases (the full preset's shape at 128–256 cells).</summary>
    public static readonly int[] SmallCellCounts = [128, 192, 256];

    /// <summary>Displacement rank of those cases: the full preset's Toeplitz-like layers (its hybrids) use r = 4.</summary>
    public const int SmallToeplitzRank = 4;

    /// <summary>Classes of the full preset's output layer.</summary>
    public const int FullPresetClasses = 82;

    /// <summary>
    /// The full preset's shape at <paramref name="cells"/> cells: 3 LSTMP layers, projection cells/2, peepholes, 40 inputs,
    /// an 82-class output layer; <paramref name="spec"/> is <c>dense x3</c> or <c>toeplitz:r=4 x3</c> (dense projections).
    /// </summary>
    public static LstmNetworkOptions SmallLstmp(string spec, int cells) => new()
    {
        InputSize = InputSize,
        Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = cells, ProjectionSize = cells / 2, Peepholes = true }),
        OutputSize = FullPresetClasses,
    };

    /// <summary>LSTM h512, one layer, 40 inputs, no output layer.</summary>
    public static LstmNetworkOptions Lstm512 => new()
    {
        InputSize = InputSize,
        Layers = [new LstmLayerOptions { HiddenSize = 512 }],
    };

    /// <summary>LSTMP h1024 p512 stacks from a one-line spec, 40 inputs, no output layer.</summary>
    public static LstmNetworkOptions Lstmp(string spec) => new()
    {
        InputSize = InputSize,
        Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = 1024, ProjectionSize = 512 }),
    };

    /// <summary>The network options of a streaming case.</summary>
    public static LstmNetworkOptions Streaming(string caseName) => caseName switch
    {
        "lstm-h512-dense" => Lstm512,
        "lstmp-h1024-p512-x3-dense" => Lstmp(DenseLstmpSpec),
        "lstmp-h1024-p512-x3-hybrid" => Lstmp(HybridSpec),
        _ => throw new ArgumentOutOfRangeException(nameof(caseName), caseName, "Unknown streaming case."),
    };

    /// <summary>The training case: LSTM h512, one layer, 40 inputs, a 10-class output layer on every frame.</summary>
    public static LstmNetworkOptions Training => Lstm512 with { OutputSize = TrainingClasses };

    /// <summary>The training cases by name, as the TorchSharp peer knows them.</summary>
    public static readonly string[] TrainingCaseNames = ["lstm-h512", "lstmp-h1024-p512-x3"];

    /// <summary>
    /// The network options of a training case: <see cref="Training"/>, or the dense LSTMP h1024 p512 × 3 with the
    /// same 10-class output layer (no peepholes, no clipping, as the peer builds it).
    /// </summary>
    public static LstmNetworkOptions TrainingOptions(string caseName) => caseName switch
    {
        "lstm-h512" => Training,
        "lstmp-h1024-p512-x3" => Lstmp(DenseLstmpSpec) with { OutputSize = TrainingClasses },
        _ => throw new ArgumentOutOfRangeException(nameof(caseName), caseName, "Unknown training case."),
    };

    /// <summary>Parameters of <paramref name="network"/> over those of the same sizes with every matrix dense.</summary>
    /// <remarks>
    /// For an LSTMP stack the baseline is the dense case of the same table row (h1024 p512 × 3), not the
    /// all-dense network of the compact model's own sizes (a hybrid may narrow a projection).
    /// </remarks>
    public static double ParameterRatio(LstmNetwork network)
        => (double)network.ParameterCount / (network.Layers.Count == 3 && network.Layers[0].HiddenSize == 1024
            ? new LstmNetwork(Lstmp(DenseLstmpSpec)).ParameterCount
            : network.DenseParameterCount);
}
