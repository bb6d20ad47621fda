using BenchmarkDotNet.Attributes;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// Training step, batch 32 × 20 frames, LSTM h512, 1 layer, 40 inputs, 10 classes: forward, softmax
/// cross-entropy on every frame, backward, SGD. CompactRnn only: the TorchSharp peer runs in its own process
/// (benchmarks/CompactRnn.Benchmarks.TorchSharp), interleaved with these steps by <c>bench --quick</c>.
/// <see cref="Threads"/> = 2 is the trainer's two-shard split (<c>TrainerOptions.Threads = 2</c>).
/// Run: <c>dotnet run -c Release --project benchmarks/CompactRnn.Benchmarks -- --filter '*TrainingStep*'</c>.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private TrainingStepHarness? _harness;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _harness = TrainingStepHarness.Create(PeerCases.Seed, Threads);

    [GlobalCleanup]
    public void Cleanup() => _harness?.Dispose();

    [Benchmark]
    public void CompactRnn() => _harness!.Step();
}
