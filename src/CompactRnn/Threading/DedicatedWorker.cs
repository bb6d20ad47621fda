using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace CompactRnn.Threading;

/// <summary>
/// A long-lived background thread that runs one <typeparamref name="TJob"/> at a time while the caller does its own
/// share: <see cref="Begin"/>, work, <see cref="End"/>. A dedicated thread with a monitor hand-off, not the thread
/// pool or <c>Parallel.Invoke</c>, which allocate delegates and task state per call; with a struct job the
/// hand-off allocates nothing, and the thread's own caches (e.g. a GEMM workspace) stay warm between jobs.
/// </summary>
/// <typeparam name="TJob">The job type; a struct, so it is copied in, never boxed.</typeparam>
internal sealed class DedicatedWorker<TJob> : IDisposable
    where TJob : struct, IWorkerJob
{
    private readonly object _sync = new();
    private TJob _job;
    private bool _pending, _finished, _stopping;
    private Exception? _error;

    /// <summary>Starts the worker thread (a background thread: it never keeps the process alive).</summary>
    /// <param name="name">The thread's name, shown by debuggers and profilers.</param>
    public DedicatedWorker(string name)
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>Hands <paramref name="job"/> to the worker; pair with <see cref="End"/>.</summary>
    public void Begin(in TJob job)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _job = job;
            _finished = false;
            _pending = true;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>Waits for the job passed to <see cref="Begin"/> and rethrows, on the caller's thread, anything it threw.</summary>
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

    /// <summary>Lets the thread finish; call after the last <see cref="End"/>.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            _stopping = true;
            Monitor.PulseAll(_sync);
        }
    }

    private void Loop()
    {
        while (true)
        {
            TJob job;
            lock (_sync)
            {
                while (!_pending && !_stopping)
                {
                    Monitor.Wait(_sync);
                }

                if (!_pending)
                {
                    return; // stopping with nothing left to run
                }

                _pending = false;
                job = _job;
            }

            Exception? error = null;
            try
            {
                job.Run();
            }
            catch (Exception caught) when (caught is not OutOfMemoryException)
            {
                error = caught; // surfaced on the calling thread by End
            }

            lock (_sync)
            {
                _error = error;
                _finished = true;
                Monitor.PulseAll(_sync);
            }
        }
    }
}
