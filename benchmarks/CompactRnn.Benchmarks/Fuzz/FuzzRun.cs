using System;
using System.Diagnostics;
using System.IO;

namespace CompactRnn.Benchmarks.Fuzz;

/// <summary>Runs one read under measurement and classifies how it ended.</summary>
internal static class FuzzRun
{
    /// <summary>The bound on one read of a file under 10 MB.</summary>
    public static readonly TimeSpan MaxLoadTime = TimeSpan.FromSeconds(1);

    /// <summary>The bound on a read's allocation beyond the declared bytes.</summary>
    public const long MaxExtraAllocation = 64L << 20;

    /// <summary>Reads with <paramref name="read"/>, measuring the calling thread's allocation and the wall clock.</summary>
    public static (T? Result, FuzzOutcome Outcome, long Allocated, TimeSpan Elapsed, string Detail) Measure<T>(Func<T> read)
        where T : class
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        T? result = null;
        FuzzOutcome outcome = FuzzOutcome.Loaded;
        string detail = "";
        try
        {
            result = read();
        }
        catch (Exception error)
        {
            outcome = Classify(error);
            detail = $"{error.GetType().Name}: {OneLine(error.Message)}";
            if (outcome == FuzzOutcome.Undocumented)
            {
                detail += " at " + OneLine(error.StackTrace ?? "");
            }
        }

        clock.Stop();
        return (result, outcome, GC.GetAllocatedBytesForCurrentThread() - before, clock.Elapsed, detail);
    }

    /// <summary>The outcome an exception stands for.</summary>
    public static FuzzOutcome Classify(Exception error) => error switch
    {
        InvalidDataException => FuzzOutcome.InvalidData,
        IOException => FuzzOutcome.IOError,
        ArgumentException => FuzzOutcome.Argument,
        _ => FuzzOutcome.Undocumented,
    };

    /// <summary>The text on one line, clipped.</summary>
    public static string OneLine(string text)
    {
        string line = text.Replace('\n', ' ').Replace('\r', ' ');
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
