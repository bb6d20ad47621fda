using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// Runs named jobs on a fixed number of worker threads as soon as the jobs they wait for have finished, taking the
/// first ready job in the order they were added. A dependency that names no pending job counts as finished (for
/// example a model kept from an earlier run). The first failure stops the workers from starting more jobs and is
/// rethrown once the running ones have ended.
/// </summary>
/// <remarks>
/// A comparison has a few long jobs with a short dependency chain (dense → layout search → compressed rows); running
/// them by readiness rather than in stages keeps both cores busy while, say, the third dense seed trains alone.
/// </remarks>
internal sealed class JobScheduler(int workers)
{
    private readonly List<Job> _pending = [];
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private Exception? _failure;

    /// <summary>Adds a job that may start once every job named in <paramref name="after"/> has finished.</summary>
    public void Add(string name, IEnumerable<string?> after, Action run)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(run);
        if (_pending.Any(j => j.Name == name))
        {
            throw new ArgumentException($"A job named '{name}' was already added.", nameof(name));
        }

        _pending.Add(new Job(name, [.. after.OfType<string>()], run));
    }

    /// <summary>Runs every job and returns when all have finished; rethrows the first failure.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        using var wake = cancellationToken.Register(() => { lock (_gate) { Monitor.PulseAll(_gate); } });
        var threads = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => new Thread(() => Work(cancellationToken)) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (_failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Work(CancellationToken cancellationToken)
    {
        while (true)
        {
            Job job;
            lock (_gate)
            {
                while (true)
                {
                    if (_failure is not null || cancellationToken.IsCancellationRequested || (_pending.Count == 0))
                    {
                        return;
                    }

                    Job? ready = _pending.FirstOrDefault(j => j.After.All(d => !_running.Contains(d) && _pending.All(p => p.Name != d)));
                    if (ready is not null)
                    {
                        job = ready;
                        break;
                    }

                    if (_running.Count == 0)
                    {
                        _failure = new InvalidOperationException($"Jobs wait for each other: {string.Join(", ", _pending.Select(j => j.Name))}.");
                        Monitor.PulseAll(_gate);
                        return;
                    }

                    Monitor.Wait(_gate);
                }

                _pending.Remove(job);
                _running.Add(job.Name);
            }

            try
            {
                job.Run();
            }
            catch (Exception error)
            {
                lock (_gate)
                {
                    _failure ??= error;
                }
            }
            finally
            {
                lock (_gate)
                {
                    _running.Remove(job.Name);
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    private sealed record Job(string Name, string[] After, Action Run);
}
