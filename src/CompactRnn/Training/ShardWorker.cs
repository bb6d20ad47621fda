using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using CompactRnn.Models;

namespace CompactRnn.Training;

/// <summary>
/// A second thread for <see cref="TrainerOptions.Threads"/> = 2: runs one <see cref="TrainingShard.Run"/> at a time
/// while the calling thread runs the other shard. A dedicated thread with a monitor hand-off (as
/// <see cref="Kernels.GemmWorker"/> does for GEMMs) instead of <c>Parallel.Invoke</c>, which allocates its
/// delegates and task state at every update; this keeps a two-thread update allocation-free.
/// </summary>
internal sealed class ShardWorker : IDisposable
{
    private readonly object _sync = new();
    private TrainingShard? _shard;
    private LstmNetwork? _network;
    private float[] _parameters = [], _cache = [];
    private bool _lastFrame;
    private int _start, _steps;
    private float _scale, _labelSmoothing, _distillationWeight;
    private bool _pending, _finished, _stopping;
    private Exception? _error;

    /// <summary>Starts the worker thread (a background thread: it never keeps the process alive).</summary>
    public ShardWorker()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "CompactRnn training shard" };
        thread.Start();
    }

    /// <summary>Starts <c>shard.Run(...)</c> on the worker with these arguments; pair with <see cref="End"/>.</summary>
    public void Begin(TrainingShard shard, LstmNetwork network, float[] parameters, float[] cache, bool lastFrame, int start, int steps,
        float scale, float labelSmoothing, float distillationWeight)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            (_shard, _network, _parameters, _cache, _lastFrame) = (shard, network, parameters, cache, lastFrame);
            (_start, _steps, _scale, _labelSmoothing, _distillationWeight) = (start, steps, scale, labelSmoothing, distillationWeight);
            _finished = false;
            _pending = true;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>Waits for the run started by <see cref="Begin"/> and rethrows anything it threw.</summary>
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
            }

            Exception? error = null;
            try
            {
                _shard!.Run(_network!, _parameters, _cache, _lastFrame, _start, _steps, _scale, _labelSmoothing, _distillationWeight);
            }
            catch (Exception caught) when (caught is not OutOfMemoryException)
            {
                error = caught;
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
