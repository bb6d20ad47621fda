using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CompactRnn.Benchmarks.Training;
using CompactRnn.Kernels;

namespace CompactRnn.Benchmarks.StreamBandwidth;

/// <summary>
/// <c>stream-bw-ab [--rounds N] [--case lstmp|lstm] VARIANT...</c>: the float32 streaming GEMVs of one step of a
/// benchmark case (the same matrix shapes: <c>lstmp</c> = LSTMP h1024 p512 × 3 with 40 inputs, <c>lstm</c> = LSTM
/// h512 with 40 inputs), timed per variant, variants interleaved round by round (the first variant of a round
/// rotates), medians of N rounds. A variant is <c>storage/kernel</c>. Storage: <c>managed</c> (a plain managed array,
/// the storage before <see cref="StreamingStorage"/>), <c>native</c> (a 2 MB-aligned native copy), <c>thp</c> (the
/// same, advised for transparent huge pages before the copy), <c>native@B</c> / <c>thp@B</c> (B bytes past that),
/// <c>aligned</c> / <c>aligned-thp</c> (copies in <see cref="StreamingStorage"/> without / with the huge-page advice),
/// or <c>matrix/-</c> (the packed matrices' own <see cref="IStreamingMatrix.MultiplyAdd"/>, whatever storage the
/// library uses). Kernel: <c>base</c> (<see cref="PackedGemv"/>), <c>pf:BYTES:t0|nta</c> (the same loop with a
/// software prefetch of every line BYTES ahead) or <c>two</c> (two row groups at once, two streams). Every variant's
/// outputs are checked bit for bit against managed/base first. A measuring tool (docs/benchmarks.md, "Float32
/// streaming bandwidth (Zen 5)"); the variant kernels are not used by the library.
/// </summary>
internal static unsafe class StreamBandwidthAb
{
    private const double SampleSeconds = 0.2;

    public static int Run(string[] args)
    {
        int rounds = 7;
        string kase = "lstmp";
        var variants = new List<string>();
        for (int k = 0; k < args.Length; k++)
        {
            switch (args[k])
            {
                case "--rounds":
                    rounds = int.Parse(args[++k], CultureInfo.InvariantCulture);
                    break;
                case "--case":
                    kase = args[++k];
                    break;
                default:
                    variants.Add(args[k]);
                    break;
            }
        }

        if (variants.Count == 0)
        {
            variants.Add("managed/base");
        }

        // (rows, columns) of each float32 streaming matrix of one step, in step order.
        (int Rows, int Columns)[] shapes = kase == "lstm"
            ? [(2048, 40 + 512)]
            : [(4096, 40 + 512), (512, 1024), (4096, 512 + 512), (512, 1024), (4096, 512 + 512), (512, 1024)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {DateTime.UtcNow:u} {Environment.ProcessorCount} logical cores, {MachineDescription.Cpu()}; load average {TrainingThroughput.LoadAverage()}; case {kase}, {rounds} rounds, {PackedGemv.WidestLanes()} lanes"));
        var matrices = shapes.Select((s, i) => new Float32StreamingMatrix(s.Rows, Peers.RandomData.Uniform(s.Rows * s.Columns, 17 + i), s.Columns, [], 0)).ToArray();
        // The storage before this work: a plain managed array (data at any 8-byte offset in a line, small pages).
        float[][] packed = matrices.Select(m => m.Packed.ToArray()).ToArray();
        float[][] xs = matrices.Select((m, i) => Peers.RandomData.Uniform(m.PaddedColumns, 101 + i)).ToArray();
        foreach ((float[] x, Float32StreamingMatrix m) in xs.Zip(matrices))
        {
            Array.Clear(x, m.Columns, m.PaddedColumns - m.Columns);
        }

        float[][] ys = matrices.Select(m => new float[m.Rows]).ToArray();
        long bytes = matrices.Sum(m => m.Bytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {matrices.Length} matrices, {bytes / 1e6:F1} MB packed"));

        var natives = new Dictionary<string, nint[]>();
        var steps = new Action[variants.Count];
        for (int v = 0; v < variants.Count; v++)
        {
            string[] parts = variants[v].Split('/');
            string storage = parts[0], kernel = parts[1];
            nint[] bases;
            if (storage is "managed" or "matrix")
            {
                bases = [];
            }
            else if (!natives.TryGetValue(storage, out bases!))
            {
                string[] at = storage.Split('@');
                int offset = at.Length > 1 ? int.Parse(at[1], CultureInfo.InvariantCulture) : 0;
                bases = at[0] is "aligned" or "aligned-thp"
                    ? packed.Select(p => StorageCopy(p, at[0] == "aligned-thp")).ToArray()
                    : packed.Select(p => NativeCopy(p, at[0] == "thp", offset)).ToArray();
                natives[storage] = bases;
            }

            steps[v] = storage == "matrix"
                ? () =>
                {
                    for (int i = 0; i < matrices.Length; i++)
                    {
                        matrices[i].MultiplyAdd(xs[i], ys[i]);
                    }
                }
                : MakeStep(kernel, storage == "managed" ? null : bases, packed, matrices, xs, ys);
        }

        Console.WriteLine($"# AnonHugePages of the process: {AnonHugePages()}");
        Console.WriteLine($"# managed packed arrays' data address mod 64: {string.Join(' ', packed.Select(p => (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(p)) % 64))}");
        float[][] reference = Outputs(ys, MakeStep("base", null, packed, matrices, xs, ys));
        for (int v = 0; v < variants.Count; v++)
        {
            float[][] got = Outputs(ys, steps[v]);
            bool same = got.Zip(reference).All(p => p.First.AsSpan().SequenceEqual(p.Second));
            Console.WriteLine($"# {variants[v]}: outputs {(same ? "bit-identical to managed/base" : "DIFFER from managed/base")}");
            if (!same)
            {
                return 1;
            }
        }

        var samples = variants.Select(_ => new List<double>()).ToArray();
        for (int v = 0; v < variants.Count; v++)
        {
            Sample(steps[v]); // warm-up
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int v = 0; v < variants.Count; v++)
            {
                // Rotate the starting variant so that no variant always follows the same one.
                int at = (v + round) % variants.Count;
                samples[at].Add(Sample(steps[at]));
            }
        }

        double baseline = Median(samples[0]);
        Console.WriteLine("variant,median_us,min_us,max_us,ratio_to_first,GB_per_s");
        for (int v = 0; v < variants.Count; v++)
        {
            double median = Median(samples[v]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{variants[v]},{median:F1},{samples[v].Min():F1},{samples[v].Max():F1},{median / baseline:F3},{bytes / (median * 1e3):F1}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# load average after: {TrainingThroughput.LoadAverage()}"));
        return 0;
    }

    private static float[][] Outputs(float[][] ys, Action step)
    {
        foreach (float[] y in ys)
        {
            Array.Clear(y);
        }

        step();
        return ys.Select(y => (float[])y.Clone()).ToArray();
    }

    private static Action MakeStep(string kernel, nint[]? natives, float[][] packed, Float32StreamingMatrix[] matrices, float[][] xs, float[][] ys)
    {
        string[] k = kernel.Split(':');
        nint distance = k[0] == "pf" ? nint.Parse(k[1], CultureInfo.InvariantCulture) / sizeof(float) : 0;
        bool nonTemporal = k[0] == "pf" && k[2] == "nta";
        return () =>
        {
            for (int i = 0; i < matrices.Length; i++)
            {
                ref float w = ref natives is null ? ref MemoryMarshal.GetArrayDataReference(packed[i]) : ref Unsafe.AsRef<float>((void*)natives[i]);
                ref float x = ref MemoryMarshal.GetArrayDataReference(xs[i]);
                ref float y = ref MemoryMarshal.GetArrayDataReference(ys[i]);
                int rows = matrices[i].Rows, columns = matrices[i].PaddedColumns;
                switch (k[0])
                {
                    case "base":
                        PackedGemv.MultiplyAdd<float, Float32Pairs>(16, ref w, ref x, ref y, rows, columns);
                        break;
                    case "pf":
                        StreamBandwidthKernels.Prefetched<Lanes512, Vector512<float>>(ref w, ref x, ref y, rows, columns, distance, nonTemporal);
                        break;
                    case "two":
                        StreamBandwidthKernels.TwoGroups<Lanes512, Vector512<float>>(ref w, ref x, ref y, rows, columns);
                        break;
                    default:
                        throw new ArgumentException($"Unknown kernel '{kernel}'.", nameof(kernel));
                }
            }
        };
    }

    private static double Sample(Action step)
    {
        var clock = Stopwatch.StartNew();
        int calls = 0;
        do
        {
            step();
            calls++;
        }
        while (clock.Elapsed.TotalSeconds < SampleSeconds);
        return clock.Elapsed.TotalMicroseconds / calls;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static nint NativeCopy(float[] source, bool hugePages, int offset)
    {
        const nuint TwoMegabytes = 2 << 20;
        nuint length = ((nuint)source.Length * sizeof(float) + (nuint)offset + TwoMegabytes - 1) / TwoMegabytes * TwoMegabytes;
        void* memory = NativeMemory.AlignedAlloc(length, TwoMegabytes);
        if (hugePages && Madvise(memory, length, 14) != 0)
        {
            throw new InvalidOperationException($"madvise(MADV_HUGEPAGE) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        source.AsSpan().CopyTo(new Span<float>((byte*)memory + offset, source.Length));
        return (nint)memory + offset;
    }

    /// <summary>A copy in <see cref="StreamingStorage"/>; the array is kept alive by the list (it never moves).</summary>
    private static nint StorageCopy(float[] source, bool hugePages)
    {
        float[] array = StreamingStorage.Allocate<float>(source.Length, hugePages, out int start);
        source.AsSpan().CopyTo(array.AsSpan(start));
        Keep.Add(array);
        return (nint)Unsafe.AsPointer(ref array[start]);
    }

    private static readonly List<float[]> Keep = [];

    private static string AnonHugePages()
    {
        try
        {
            return System.IO.File.ReadAllLines("/proc/self/smaps_rollup").FirstOrDefault(l => l.StartsWith("AnonHugePages", StringComparison.Ordinal))?.Trim() ?? "n/a";
        }
        catch (System.IO.IOException)
        {
            return "n/a";
        }
    }

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static extern int Madvise(void* address, nuint length, int advice);
}
