using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// Where a sweep stands, for its plain progress lines: "model k of N" when a model starts, and when one finishes
/// "k of N done, about T left", T from the wall time per model finished in this run (workers included).
/// </summary>
internal sealed class SweepProgress(int total, int alreadyDone)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _alreadyDone = alreadyDone;
    private int _started = alreadyDone;
    private int _done = alreadyDone;

    /// <summary>Counts a model as started; returns "model k of N".</summary>
    public string Start() => string.Create(CultureInfo.InvariantCulture, $"model {Interlocked.Increment(ref _started)} of {total}");

    /// <summary>Counts a model as finished; returns "k of N done, about T left".</summary>
    public string Finish()
    {
        int done = Interlocked.Increment(ref _done);
        int trainedHere = done - _alreadyDone;
        int remaining = Math.Max(0, total - done);
        TimeSpan left = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / trainedHere * remaining);
        string estimate = remaining == 0 ? "none left"
            : left.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"about {(int)left.TotalHours} h {left.Minutes} min left")
            : string.Create(CultureInfo.InvariantCulture, $"about {Math.Max(1, (int)Math.Ceiling(left.TotalMinutes))} min left");
        return string.Create(CultureInfo.InvariantCulture, $"{done} of {total} done, {estimate}");
    }
}
