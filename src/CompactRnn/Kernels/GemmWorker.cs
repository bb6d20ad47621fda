using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace CompactRnn.Kernels;

/// <summary>
/// A long-lived background thread that runs one <see cref="GemmJob"/> at a time for <see cref="ParallelGemm"/>.
/// A dedicated thread (not the pool, not <c>Parallel.For</c>) keeps hand-off allocation-free and its per-thread
/// GEMM workspace warm; a monitor carries the start and finish signals.
/// </summary>
internal sealed class GemmWorker
{
    private readonly object _sync = new();
    private GemmJob _job;
    private bool _pending;
    private bool _finished;
    private Exception? _error;

    /// <summary>Starts the worker thread.</summary>
    public GemmWorker()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "CompactRnn GEMM worker" };
        thread.Start();
    }

    /// <summary>Hands <paramref name="job"/> to the worker; pair with <see cref="End"/>.</summary>
    public void Begin(in GemmJob job)
    {
        lock (_sync)
        {
            _job = job;
            _finished = false;
            _pending = true;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>Waits for the job passed to <see cref="Begin"/> and rethrows anything it threw.</summary>
    public void End()
    {
        Exception? error;
        lock (_sync)
        {
            while (!_finished)
            {
                Monitor.Wait(_sync);
            }

            error = _error;
            _error = null;
        }

        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    private void Loop()
    {
        while (true)
        {
            GemmJob job;
            lock (_sync)
            {
                while (!_pending)
                {
                    Monitor.Wait(_sync);
                }

                _pending = false;
                job = _job;
            }

            Exception? error = null;
            try
            {
                job.Run();
            }
            catch (Exception exception)
            {
                error = exception; // surfaced on the calling thread by End
            }
            finally
            {
                lock (_sync)
                {
                    _error = error;
                    _finished = true;
                    Monitor.PulseAll(_sync);
                }
            }
        }
    }
}
