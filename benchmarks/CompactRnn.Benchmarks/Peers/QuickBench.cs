using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using CompactRnn.Benchmarks.Onnx;
using CompactRnn.Benchmarks.Training;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// <c>bench --quick [--only TEXT] [--repetitions N]</c>: every peer case, both sides measured in this run, after the
/// parity checks. Each case warms both sides up for at least <see cref="WarmUpSeconds"/> each (so the JIT's optimized
/// tier is in place; shorter warm-ups left some small cases bimodal), then takes N ≥ 5 (default 5) samples per side, alternating
/// CompactRnn and peer so that a change of load on a shared machine hits both alike; a sample is the mean time per
/// call over about <see cref="SampleSeconds"/> of calls (at least one call). Prints one CSV line per case,
/// <c>case,compactrnn_us,peer_us,ratio,compactrnn_min_us,compactrnn_max_us,peer_min_us,peer_max_us,samples,compactrnn_alloc_bytes</c>
/// (medians, then the range over samples). Lines starting with <c>#</c> are context: the CPU, the load average
/// before and after, the peers' versions and the parity figures. No figure comes from outside the run.
/// </summary>
internal static class QuickBench
{
    private const double SampleSeconds = 0.2;

    // .NET compiles a method first without optimisation and recompiles it, in the background, after ~30 calls; a
    // sample taken before that lands is several times slower (seen as 14 vs 45–60 µs samples of one h512 int8 case).
    private const double WarmUpSeconds = 1.0;

    public static int Run(string[] args)
    {
        int only = Array.IndexOf(args, "--only");
        string? filter = only >= 0 && only + 1 < args.Length ? args[only + 1] : null;
        int repetitionsAt = Array.IndexOf(args, "--repetitions");
        int repetitions = repetitionsAt >= 0 && repetitionsAt + 1 < args.Length ? int.Parse(args[repetitionsAt + 1], CultureInfo.InvariantCulture) : 5;
        if (repetitions < 5)
        {
            throw new ArgumentOutOfRangeException(nameof(args), repetitions, "--repetitions must be at least 5 (the median of ≥ 5 samples per side).");
        }

        bool Selected(string name) => filter is null || name.Contains(filter, StringComparison.Ordinal);
        var total = Stopwatch.StartNew();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {DateTime.UtcNow:u} {Environment.ProcessorCount} logical cores, {MachineDescription.Cpu()}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; load average {TrainingThroughput.LoadAverage()}"));
        foreach ((string name, float difference) in SmallParitySuite.Run())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# parity {name}: max |diff| {difference:E2}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# medians of {repetitions} alternating samples per side after a warm-up; _ort1t/_ort2t: ONNX Runtime intra-op threads (CompactRnn streams on one thread); _1t/_2t in the sequence and training cases: both sides at that many threads"));
        Console.WriteLine("case,compactrnn_us,peer_us,ratio,compactrnn_min_us,compactrnn_max_us,peer_min_us,peer_max_us,samples,compactrnn_alloc_bytes");
        RunStreaming(Selected, repetitions);
        RunToeplitzVersusDense(Selected, repetitions);
        RunSequences(Selected, repetitions);
        bool trainingMeasured = RunTraining(Selected, repetitions);
        RunRuntimeBytes(Selected);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# done in {total.Elapsed.TotalSeconds:F0} s; load average {TrainingThroughput.LoadAverage()}"));
        return trainingMeasured ? 0 : 2; // a run that misses a selected peer is not a complete run

    }

    /// <summary>
    /// The streaming cases, row by row (a row runs when <paramref name="selected"/> takes its name): CompactRnn float32
    /// against ORT float32; for the dense cases also bf16 and int8 CompactRnn against ORT float32, and int8 CompactRnn
    /// against ORT's int8 graph (<c>_int8_vs_ortint8</c>, <see cref="OrtInt8Graphs"/>).
    /// </summary>
    private static void RunStreaming(Func<string, bool> selected, int repetitions)
    {
        foreach (string caseName in PeerCases.StreamingCaseNames)
        {
            string name = "stream_" + caseName.Replace('-', '_');
            bool dense = caseName.EndsWith("-dense", StringComparison.Ordinal), described = false;
            foreach (int threads in new[] { 1, 2 })
            {
                string ort = string.Create(CultureInfo.InvariantCulture, $"_ort{threads}t");
                bool float32 = selected(name + ort), bfloat16 = dense && selected(name + "_bf16" + ort), int8 = dense && selected(name + "_int8" + ort);
                bool int8Peer = dense && selected(name + "_int8_vs_ortint8" + ort);
                if (!(float32 || bfloat16 || int8 || int8Peer))
                {
                    continue;
                }

                using StreamingPair pair = StreamingPair.Create(caseName, threads, int8Peer: int8Peer);
                if (!described)
                {
                    Describe(name, pair, dense);
                    described = true;
                }

                if (pair.HasInt8Peer)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"# {name}_int8_vs_ortint8{ort}: peer = the one-step cell graph with every product as DynamicQuantizeLinear + MatMulInteger on CompactRnn's int8 weights and row scales; products within {pair.Int8ProductParityRatio:F3} of the derived bound; max |diff| CompactRnn int8 to ORT int8 {pair.Int8PeerDifference:E2} over 8 steps"));
                }

                if (float32)
                {
                    Print(name + ort, Compare(pair.CompactRnnStep, pair.PeerStep, repetitions));
                }

                if (bfloat16)
                {
                    Print(name + "_bf16" + ort, Compare(pair.CompactRnnBFloat16Step, pair.PeerStep, repetitions));
                }

                if (int8)
                {
                    Print(name + "_int8" + ort, Compare(pair.CompactRnnInt8Step, pair.PeerStep, repetitions));
                }

                if (int8Peer)
                {
                    Print(name + "_int8_vs_ortint8" + ort, Compare(pair.CompactRnnInt8Step, pair.PeerInt8Step, repetitions));
                }
            }

            if (caseName == PeerCases.StreamingCaseNames[0] && selected(name + "_cellgraph_ort1t"))
            {
                // Is the LSTM operator ORT's fastest form for this case? The same step as a plain cell graph, for context.
                using StreamingPair cell = StreamingPair.Create(caseName, 1, cellGraph: true);
                Print($"{name}_cellgraph_ort1t", Compare(cell.CompactRnnStep, cell.PeerStep, repetitions));
            }
        }
    }

    /// <summary>The context lines of a streaming pair: its model and peer graph, and the precision costs measured by its parity run.</summary>
    private static void Describe(string name, StreamingPair pair, bool dense)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {name}: {pair.Model.Network.ParameterCount} parameters = {PeerCases.ParameterRatio(pair.Model.Network):P1} of dense; spec '{Models.NetworkSpec.Format(pair.Model.Network.Options.Layers)}'; peer: {pair.PeerGraph} with dense weights; parity max |diff| {pair.ParityDifference:E2} over 8 steps"));
        if (dense)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {name}_bf16: CompactRnn with bf16 weights (ORT float32); max |diff| to ORT {pair.BFloat16Difference:E2} over 8 steps"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {name}_int8: CompactRnn with int8 weights, per-row scales (ORT float32); max |diff| to ORT {pair.Int8Difference:E2} over 8 steps"));
        }
    }

    /// <summary>
    /// Issue 15 item 6: float32 streaming of the full preset's shape at 128–256 cells with every W_x and W_r Toeplitz-like
    /// (r = 4) against the same shape dense, both CompactRnn in this run; the peer column is the dense model, so the ratio is
    /// Toeplitz-like / dense (target ≤ 1/1.5 = 0.667).
    /// </summary>
    private static void RunToeplitzVersusDense(Func<string, bool> selected, int repetitions)
    {
        foreach (int cells in PeerCases.SmallCellCounts)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"stream_lstmp_h{cells}_x3_toeplitz_r{PeerCases.SmallToeplitzRank}_vs_dense");
            if (!selected(name))
            {
                continue;
            }

            Models.StreamingSession toeplitz = Models.LstmModel.CreateInitialized(
                PeerCases.SmallLstmp(string.Create(CultureInfo.InvariantCulture, $"toeplitz:r={PeerCases.SmallToeplitzRank} x3"), cells), PeerCases.Seed).CreateSession();
            Models.StreamingSession dense = Models.LstmModel.CreateInitialized(PeerCases.SmallLstmp("dense x3", cells), PeerCases.Seed).CreateSession();
            float[] frames = RandomData.Uniform(64 * PeerCases.InputSize, PeerCases.Seed), output = new float[PeerCases.FullPresetClasses];
            int toeplitzFrame = 0, denseFrame = 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {name}: both CompactRnn float32 streaming, 3 LSTMP layers h{cells} p{cells / 2}, peepholes, 40 inputs, 82 classes; peer column = dense x3, ratio = toeplitz/dense (target <= 0.667)"));
            Print(name, Compare(
                () => { toeplitz.Step(frames.AsSpan((toeplitzFrame++ % 64) * PeerCases.InputSize, PeerCases.InputSize), output); },
                () => { dense.Step(frames.AsSpan((denseFrame++ % 64) * PeerCases.InputSize, PeerCases.InputSize), output); },
                repetitions));
        }
    }

    /// <summary>Run-time bytes per path (<see cref="RuntimeBytesReport"/>) of the streaming cases' models and of the small Toeplitz-like/dense pairs.</summary>
    private static void RunRuntimeBytes(Func<string, bool> selected)
    {
        bool header = false;
        void Report(string name, Models.LstmNetworkOptions options, bool batch)
        {
            if (!selected(name))
            {
                return;
            }

            if (!header)
            {
                Console.WriteLine(RuntimeBytesReport.Header);
                header = true;
            }

            RuntimeBytesReport.Print(name, options, batch);
        }

        foreach (string caseName in PeerCases.StreamingCaseNames)
        {
            Report("bytes_" + caseName.Replace('-', '_'), PeerCases.Streaming(caseName), batch: false); // batch tapes of these run to GBs
        }

        foreach (int cells in PeerCases.SmallCellCounts)
        {
            Report(string.Create(CultureInfo.InvariantCulture, $"bytes_lstmp_h{cells}_x3_toeplitz_r{PeerCases.SmallToeplitzRank}"),
                PeerCases.SmallLstmp(string.Create(CultureInfo.InvariantCulture, $"toeplitz:r={PeerCases.SmallToeplitzRank} x3"), cells), batch: true);
            Report(string.Create(CultureInfo.InvariantCulture, $"bytes_lstmp_h{cells}_x3_dense"), PeerCases.SmallLstmp("dense x3", cells), batch: true);
        }
    }

    private static void RunSequences(Func<string, bool> selected, int repetitions)
    {
        const string name = "seq_lstmp_h1024_p512_x3_b32_t100_dense";
        foreach (int threads in new[] { 1, 2 })
        {
            if (!selected($"{name}_ort{threads}t"))
            {
                continue;
            }

            using SequencePair pair = SequencePair.CreateLstmp(threads);
            float difference = pair.Verify(); // also the first warm-up call of both sides
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# sequence parity (ORT {threads}t, {pair.PeerGraph}): max |diff| {difference:E2}"));
            Print($"{name}_ort{threads}t", Compare(pair.CompactRnnRun, pair.PeerRun, repetitions));
        }

        foreach (int threads in new[] { 1, 2 })
        {
            string row = $"{name}_int8_vs_ortint8_ort{threads}t";
            if (!selected(row))
            {
                continue;
            }

            using Int8SequencePair pair = Int8SequencePair.CreateLstmp(threads);
            float difference = pair.Verify();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {row}: CompactRnn Infer at int8 vs ORT's int8 step graph (DynamicQuantizeLinear + MatMulInteger on the same int8 weights and row scales) stepped over the batch; max |diff| {difference:E2}"));
            Print(row, Compare(pair.CompactRnnRun, pair.PeerRun, repetitions));
        }
    }

    /// <summary>The training rows against TorchSharp, measured in this run; false when rows were selected but the peer could not start.</summary>
    private static bool RunTraining(Func<string, bool> selected, int repetitions)
    {
        string[] names = [.. PeerCases.TrainingCaseNames.Where(c => selected(TrainingRowName(c, 1)) || selected(TrainingRowName(c, 2)))];
        if (names.Length == 0)
        {
            return true;
        }

        using TorchSharpPeer? torch = TorchSharpPeer.TryStart(out string reason);
        if (torch is null)
        {
            Console.WriteLine($"# training rows NOT measured: the TorchSharp peer did not start ({reason}); the run exits with code 2");
            return false;
        }

        Console.WriteLine($"# training peer: TorchSharp-cpu, libtorch {torch.Version}, in its own process; batch {PeerCases.TrainingBatch} x {PeerCases.TrainingSteps} frames, {PeerCases.TrainingClasses} classes, softmax cross-entropy, SGD; LSTMP built from torch operators");
        foreach (string caseName in names)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                string row = TrainingRowName(caseName, threads);
                if (!selected(row))
                {
                    continue;
                }

                using TrainingStepHarness harness = TrainingStepHarness.Create(PeerCases.Seed, threads, caseName);
                Measurement result = Compare(harness.Step, calls => torch.MeasureTraining(caseName, threads, calls), repetitions);
                Print(row, result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {row}: CompactRnn last loss {harness.LastLoss:F4}{(threads == 2 ? " (TrainerOptions.Threads = 2: two shards of 16 sequences)" : "")}"));
            }
        }

        return true;
    }

    private static string TrainingRowName(string caseName, int threads)
        => $"train_{caseName.Replace('-', '_')}_b32_t20_c10_{threads}t";

    private static void Print(string name, Measurement m)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name},{m.Compact.Median:F1},{m.Peer.Median:F1},{m.Compact.Median / m.Peer.Median:F3},{m.Compact.Min:F1},{m.Compact.Max:F1},{m.Peer.Min:F1},{m.Peer.Max:F1},{m.Compact.Count},{m.CompactAllocatedBytes:F0}"));

    /// <summary>Both sides of an in-process pair: <see cref="Compare(Action, Func{int, double}, int)"/> with a timed peer.</summary>
    private static Measurement Compare(Action compact, Action peer, int repetitions)
        => Compare(compact, calls => TimeCalls(peer, calls), repetitions);

    /// <summary>
    /// Warms both sides up (about one sample each, at least two calls), then alternates <paramref name="repetitions"/>
    /// samples of each; <paramref name="peer"/> runs a given number of calls and returns the mean µs per call.
    /// </summary>
    private static Measurement Compare(Action compact, Func<int, double> peer, int repetitions)
    {
        double compactFirst = TimeCalls(compact, 1), peerFirst = peer(1);
        int compactCalls = CallsPerSample(compactFirst), peerCalls = CallsPerSample(peerFirst);
        WarmUp(() => TimeCalls(compact, compactCalls));
        WarmUp(() => peer(peerCalls));
        var compactSamples = new List<double>(repetitions);
        var peerSamples = new List<double>(repetitions);
        long compactAllocated = 0; // CompactRnn's samples only, not the peer's
        for (int r = 0; r < repetitions; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            compactSamples.Add(TimeCalls(compact, compactCalls));
            compactAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
            peerSamples.Add(peer(peerCalls));
        }

        return new Measurement(Summary.Of(compactSamples), Summary.Of(peerSamples), (double)compactAllocated / ((long)compactCalls * repetitions));
    }

    // Runs one sample's worth of calls repeatedly until WarmUpSeconds have passed (at least once).
    private static void WarmUp(Func<double> sample)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            sample();
        }
        while (clock.Elapsed.TotalSeconds < WarmUpSeconds);
    }

    private static int CallsPerSample(double firstMicroseconds) => (int)Math.Clamp(SampleSeconds * 1e6 / Math.Max(firstMicroseconds, 0.1), 1, 100_000);

    private static double TimeCalls(Action operation, int calls)
    {
        var clock = Stopwatch.StartNew();
        for (int k = 0; k < calls; k++)
        {
            operation();
        }

        return clock.Elapsed.TotalMicroseconds / calls;
    }

    private readonly record struct Summary(double Median, double Min, double Max, int Count)
    {
        public static Summary Of(List<double> samples)
        {
            double[] sorted = [.. samples.Order()];
            int n = sorted.Length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
            return new Summary(median, sorted[0], sorted[^1], n);
        }
    }

    private readonly record struct Measurement(Summary Compact, Summary Peer, double CompactAllocatedBytes);
}
