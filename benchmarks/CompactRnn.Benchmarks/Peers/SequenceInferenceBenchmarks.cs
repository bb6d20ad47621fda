using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// Whole-sequence inference, batch 32 × 100 frames, dense LSTMP h1024 p512, 3 layers: CompactRnn against ONNX
/// Runtime (per-layer Scan over the cell graph, input products hoisted), both at 1 and 2 threads (CompactRnn:
/// <c>LstmModel.Infer</c> with that thread count; ORT: intra-op threads).
/// Each call takes seconds, so the job monitors a few single calls. Parity is checked in the setup.
/// Run: <c>dotnet run -c Release --project benchmarks/CompactRnn.Benchmarks -- --filter '*SequenceInference*'</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SequenceInferenceBenchmarks
{
    private SequencePair? _pair;

    [Params(1, 2)]
    public int OrtThreads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pair = SequencePair.CreateLstmp(OrtThreads);
        _pair.Verify();
    }

    [GlobalCleanup]
    public void Cleanup() => _pair?.Dispose();

    [Benchmark(Baseline = true)]
    public void CompactRnn() => _pair!.CompactRnnRun();

    [Benchmark]
    public void OnnxRuntime() => _pair!.PeerRun();
}
