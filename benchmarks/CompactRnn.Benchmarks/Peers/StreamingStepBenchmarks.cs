using BenchmarkDotNet.Attributes;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// Streaming step (batch 1, carried state) of issue 6's table: CompactRnn against ONNX Runtime on the same
/// weights (dense equivalents for the hybrid), ORT at 1 and 2 intra-op threads. Parity is checked in the setup.
/// <see cref="CompactRnnBFloat16"/> is the same CompactRnn step with the dense weights stored as bf16
/// (<c>WeightPrecision.BFloat16</c>); ORT stays float32.
/// Run: <c>dotnet run -c Release --project benchmarks/CompactRnn.Benchmarks -- --filter '*StreamingStep*'</c>.
/// </summary>
[MemoryDiagnoser]
public class StreamingStepBenchmarks
{
    private StreamingPair? _pair;

    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = PeerCases.StreamingCaseNames[0];

    [Params(1, 2)]
    public int OrtThreads { get; set; }

    public static string[] Cases => PeerCases.StreamingCaseNames;

    [GlobalSetup]
    public void Setup() => _pair = StreamingPair.Create(Case, OrtThreads);

    [GlobalCleanup]
    public void Cleanup() => _pair?.Dispose();

    [Benchmark(Baseline = true)]
    public void CompactRnn() => _pair!.CompactRnnStep();

    [Benchmark]
    public void CompactRnnBFloat16() => _pair!.CompactRnnBFloat16Step();

    [Benchmark]
    public void OnnxRuntime() => _pair!.PeerStep();
}
