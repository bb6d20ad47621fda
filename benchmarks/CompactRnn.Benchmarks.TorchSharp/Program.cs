using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace CompactRnn.Benchmarks.TorchSharp;

/// <summary>
/// The TorchSharp peer of <c>bench --quick</c>, driven over standard input so that its samples interleave with
/// CompactRnn's in the same run. Commands, one per line; each answer is one line:
/// <list type="bullet">
/// <item><c>hello</c> → <c>ok torch &lt;version&gt;</c> once libtorch has loaded (or <c>error …</c>);</item>
/// <item><c>measure CASE THREADS CALLS</c> → <c>ok MICROSECONDS LOSS</c>: the mean time per training step over CALLS
/// steps at THREADS intra-op threads (the case is built and warmed up on first use);</item>
/// <item><c>quit</c>.</item>
/// </list>
/// Cases: <c>lstm-h512</c>, <c>lstmp-h1024-p512-x3</c>, batch 32 × 20 frames, 40 inputs, 10 classes.
/// </summary>
public static class Program
{
    private const int Steps = 20;
    private const int Batch = 32;
    private const int InputSize = 40;
    private const int Classes = 10;
    private const int Seed = 20260601;

    public static int Main()
    {
        var cases = new Dictionary<string, TrainingCase>(StringComparer.Ordinal);
        string? line;
        while ((line = Console.ReadLine()) is not null)
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            try
            {
                switch (words)
                {
                    case ["hello"]:
                        Console.WriteLine($"ok torch {Load()}");
                        break;
                    case ["measure", string name, string threadText, string callText]:
                        int threads = int.Parse(threadText, CultureInfo.InvariantCulture), calls = int.Parse(callText, CultureInfo.InvariantCulture);
                        global::TorchSharp.torch.set_num_threads(threads);
                        if (!cases.TryGetValue(name, out TrainingCase? training))
                        {
                            training = TrainingCase.Create(name, Steps, Batch, InputSize, Classes, Seed);
                            cases[name] = training;
                            for (int k = 0; k < 3; k++)
                            {
                                training.Step(); // warm-up: allocator, autograd graph, thread pool
                            }
                        }

                        var clock = Stopwatch.StartNew();
                        for (int k = 0; k < calls; k++)
                        {
                            training.Step();
                        }

                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ok {clock.Elapsed.TotalMicroseconds / calls:F1} {training.LastLoss:F4}"));
                        break;
                    case ["quit"]:
                        return 0;
                    default:
                        Console.WriteLine($"error unknown command '{line}'");
                        break;
                }
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                Console.WriteLine($"error {error.GetType().Name}: {error.Message.ReplaceLineEndings(" ")}");
            }
        }

        return 0;
    }

    /// <summary>Loads libtorch, marking libLibTorchSharp's unused GLIBCXX_3.4.32 requirement weak first if the loader refuses it.</summary>
    private static string Load()
    {
        if (OperatingSystem.IsLinux())
        {
            if (NativeLibrary.TryLoad(NativeLibraryPatch.LibraryPath, out IntPtr handle))
            {
                NativeLibrary.Free(handle);
            }
            else
            {
                NativeLibraryPatch.MakeVersionRequirementWeak(NativeLibraryPatch.LibraryPath, "GLIBCXX_3.4.32");
            }
        }

        global::TorchSharp.torch.InitializeDeviceType(global::TorchSharp.DeviceType.CPU);
        return global::TorchSharp.torch.__version__;
    }
}
