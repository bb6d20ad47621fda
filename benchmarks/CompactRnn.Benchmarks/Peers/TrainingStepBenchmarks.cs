using BenchmarkDotNet.Attributes;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// Training step, batch 32 × 20 frames, LSTM h512, 1 layer, 40 inputs, 10 classes: forward, softmax
/// cross-entropy on every frame, backward, SGD. CompactRnn only: TorchSharp does not load on Debian 12, so the
/// comparison is with the figures QUOTED in issue 6 (24.5 ms at 1 thread, 13.1 ms at 2 threads), which
/// <c>bench --quick</c> prints as the peer column. <see cref="Threads"/> = 2 is the trainer's two-shard split
/// (<c>TrainerOptions.Threads = 2</c>), to set against the quoted 2-thread figure.
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
