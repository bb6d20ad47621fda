using System;
using BenchmarkDotNet.Running;
using CompactRnn.Benchmarks.Peers;

namespace CompactRnn.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project benchmarks/CompactRnn.Benchmarks -- --filter '*'</c> runs the
/// BenchmarkDotNet suite; <c>-- bench --quick [--only TEXT]</c> runs every peer case briefly and prints CSV.
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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
