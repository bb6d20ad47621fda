using System;
using BenchmarkDotNet.Running;
using CompactRnn.Benchmarks.Peers;

namespace CompactRnn.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project benchmarks/CompactRnn.Benchmarks -- --filter '*'</c> runs the
/// BenchmarkDotNet suite; <c>-- bench --quick [--only TEXT]</c> runs every peer case briefly and prints CSV;
/// <c>-- train-throughput [repetitions] [case filter]</c> times the main job's training (frames/s);
/// <c>-- tl-threshold</c> and <c>-- tl-train-step [repetitions]</c> compare the Toeplitz-like FFT and dense-form paths;
/// <c>-- tl-stream-forms [repetitions]</c> times a batch-1 Toeplitz-like product in its skew, circulant and packed dense forms;
/// <c>-- stream-bw-ab [--rounds N] [--case lstmp|lstm] VARIANT...</c> compares storages and loops of the float32 streaming GEMV in-process;
/// <c>-- int8-peak [--rounds N]</c> measures the int8 multiply-accumulate ceiling of one core (instruction pairs and the library's kernel);
/// <c>-- decode-time --data FILE</c> times the digit-loop decoder over a dataset's test split on one thread;
/// <c>-- fuzz [--models N] [--datasets N] [--imports N] [--seed S] [--out DIR]</c> reads mutated and crafted files (issue #13).
/// </summary>
public static class Program
{
    /// <summary>Runs the quick mode or the benchmarks selected on the command line.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length >= 2 && args[0] == "bench" && args[1] == "--quick")
        {
            return QuickBench.Run(args[2..]);
        }

        if (args.Length >= 1 && args[0] == "train-throughput")
        {
            return Training.TrainingThroughput.Run(args[1..]);
        }

        if (args.Length >= 1 && args[0] == "tl-threshold")
        {
            return Toeplitz.ToeplitzPathComparison.RunThreshold();
        }

        if (args.Length >= 1 && args[0] == "tl-stream-forms")
        {
            return Toeplitz.ToeplitzStreamingForms.Run(args.Length >= 2 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7);
        }

        if (args.Length >= 1 && args[0] == "tl-train-step")
        {
            return Toeplitz.ToeplitzPathComparison.RunTrainingStep(args.Length >= 2 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
        }

        if (args.Length >= 3 && args[0] == "decode-time" && args[1] == "--data")
        {
            return Speech.DecoderBenchmarks.RunDecodeTime(args[2]);
        }

        if (args.Length >= 1 && args[0] == "int8-peak")
        {
            return Int8Peak.Int8PeakThroughput.Run(args[1..]);
        }

        if (args.Length >= 1 && args[0] == "stream-bw-ab")
        {
            return StreamBandwidth.StreamBandwidthAb.Run(args[1..]);
        }

        if (args.Length >= 1 && args[0] == "fuzz")
        {
            return Fuzz.FuzzCommand.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
