using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// <c>bench --quick [--only TEXT]</c>: every case of issue 6's table briefly (warm-up, then the median of
/// a few Stopwatch samples), after the parity checks. Prints one CSV line per case,
/// <c>case,compactrnn_us,peer_us,ratio</c>, followed by the managed bytes allocated per operation on each
/// side. Lines starting with <c>#</c> are context. For regression tracking, not for the record:
/// BenchmarkDotNet gives the published numbers.
/// </summary>
internal static class QuickBench
{
    private const double SampleSeconds = 0.25;

    public static int Run(string[] args)
    {
        int only = Array.IndexOf(args, "--only");
        string? filter = only >= 0 && only + 1 < args.Length ? args[only + 1] : null;
        bool Selected(string name) => filter is null || name.Contains(filter, StringComparison.Ordinal);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {DateTime.UtcNow:u} {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}"));
        foreach ((string name, float difference) in SmallParitySuite.Run())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# parity {name}: max |diff| {difference:E2}"));
        }

        Console.WriteLine("# CompactRnn runs on one thread and is measured once per case; _ort1t/_ort2t set ONNX Runtime's intra-op threads.");
        Console.WriteLine("case,compactrnn_us,peer_us,ratio,compactrnn_alloc_bytes,peer_alloc_bytes");
        foreach (string caseName in PeerCases.StreamingCaseNames)
        {
            string name = "stream_" + caseName.Replace('-', '_');
            if (!Selected(name))
            {
                continue;
            }

            Measurement? compact = null, bfloat16 = null;
            bool withBFloat16 = caseName.EndsWith("-dense", StringComparison.Ordinal);
            foreach (int threads in new[] { 1, 2 })
            {
                using StreamingPair pair = StreamingPair.Create(caseName, threads);
                if (threads == 1)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"# {name}: {pair.Model.Network.ParameterCount} parameters = {PeerCases.ParameterRatio(pair.Model.Network):P1} of dense; spec '{SpecText(pair)}'; peer: {pair.PeerGraph} with dense weights; parity max |diff| {pair.ParityDifference:E2} over 8 steps"));
                    if (withBFloat16)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"# {name}_bf16: CompactRnn with bf16 weights (ORT float32); max |diff| to ORT {pair.BFloat16Difference:E2} over 8 steps"));
                    }
                }

                // Float32 and bf16 back to back in the same process, so their ratio is fair on a busy machine.
                compact ??= Measure(pair.CompactRnnStep);
                bfloat16 ??= withBFloat16 ? Measure(pair.CompactRnnBFloat16Step) : null;
                Measurement peer = Measure(pair.PeerStep);
                Print($"{name}_ort{threads}t", compact.Value, peer);
                if (bfloat16 is { } halfWidth)
                {
                    Print($"{name}_bf16_ort{threads}t", halfWidth, peer);
                }
            }

            if (caseName == PeerCases.StreamingCaseNames[0])
            {
                // Is the LSTM operator ORT's fastest form for this case? The same step as a plain cell graph, for context.
                using StreamingPair cell = StreamingPair.Create(caseName, 1, cellGraph: true);
                Print($"{name}_cellgraph_ort1t", compact!.Value, Measure(cell.PeerStep));
            }
        }

        if (Selected("seq_lstmp_h1024_p512_x3_b32_t100_dense"))
        {
            Measurement? compact = null;
            foreach (int threads in new[] { 1, 2 })
            {
                using SequencePair pair = SequencePair.CreateLstmp(threads);
                float difference = pair.Verify(); // also the first warm-up call of both sides
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# sequence parity (ORT {threads}t, {pair.PeerGraph}): max |diff| {difference:E2}"));
                compact ??= Measure(pair.CompactRnnRun);
                Measurement peer = Measure(pair.PeerRun);
                Print($"seq_lstmp_h1024_p512_x3_b32_t100_dense_ort{threads}t", compact.Value, peer);
            }
        }

        if (Selected("train_lstm_h512_b32_t20_c10"))
        {
            using var harness = new TrainingStepHarness(PeerCases.Seed);
            Measurement compact = Measure(harness.Step);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# training: peer_us is the QUOTED TorchSharp figure from issue 6 (not measured in this run); CompactRnn runs single-threaded; last loss {harness.LastLoss:F4}"));
            Print("train_lstm_h512_b32_t20_c10_vs_quoted_torchsharp_1t", compact, new Measurement(PeerCases.QuotedTorchSharpTrainingMsOneThread * 1000, double.NaN));
            Print("train_lstm_h512_b32_t20_c10_vs_quoted_torchsharp_2t", compact, new Measurement(PeerCases.QuotedTorchSharpTrainingMsTwoThreads * 1000, double.NaN));
            using var twoThreads = new TrainingStepHarness(PeerCases.Seed, threads: 2);
            Measurement split = Measure(twoThreads.Step);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# training with TrainerOptions.Threads = 2 (two fixed halves of 16 sequences on two threads, gradients added in order); last loss {twoThreads.LastLoss:F4}"));
            Print("train_lstm_h512_b32_t20_c10_threads2_vs_quoted_torchsharp_2t", split, new Measurement(PeerCases.QuotedTorchSharpTrainingMsTwoThreads * 1000, double.NaN));
        }

        return 0;
    }

    private static string SpecText(StreamingPair pair) => Models.NetworkSpec.Format(pair.Model.Network.Options.Layers);

    private static void Print(string name, Measurement compact, Measurement peer)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name},{compact.Microseconds:F1},{peer.Microseconds:F1},{compact.Microseconds / peer.Microseconds:F3},{compact.AllocatedBytes:F0},{(double.IsNaN(peer.AllocatedBytes) ? "" : peer.AllocatedBytes.ToString("F0", CultureInfo.InvariantCulture))}"));

    /// <summary>
    /// Times <paramref name="operation"/>: one untimed call to size the samples, a warm-up of about one
    /// sample, then the median over samples of the mean time per call. Operations longer than two seconds
    /// get a single timed call (the whole-sequence case), so the quick mode stays quick.
    /// </summary>
    private static Measurement Measure(Action operation)
    {
        var clock = Stopwatch.StartNew();
        operation();
        double first = Math.Max(clock.Elapsed.TotalSeconds, 1e-7);
        int perSample = (int)Math.Clamp(SampleSeconds / first, 1, 100_000);
        int samples = first > 2 ? 1 : first > 0.2 ? 3 : 9;
        if (first <= 2)
        {
            for (int k = 0; k < perSample; k++)
            {
                operation();
            }
        }

        var times = new List<double>(samples);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int s = 0; s < samples; s++)
        {
            clock.Restart();
            for (int k = 0; k < perSample; k++)
            {
                operation();
            }

            times.Add(clock.Elapsed.TotalMicroseconds / perSample);
        }

        double allocated = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (samples * perSample);
        return new Measurement(times.Order().ElementAt(times.Count / 2), allocated);
    }

    private readonly record struct Measurement(double Microseconds, double AllocatedBytes);
}
