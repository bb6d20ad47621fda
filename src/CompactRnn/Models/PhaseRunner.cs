using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace CompactRnn.Models;

/// <summary>
/// Runs a sequence of phases, each cut into independent pieces, on the calling thread and up to
/// <c>threads − 1</c> thread-pool helpers. A phase's pieces may run in any order on any thread, each exactly once,
/// and the next phase starts only when all of them are done; so what a piece computes cannot depend on the thread
/// count, provided pieces write disjoint data and read only what earlier phases wrote.
/// </summary>
/// <remarks>
/// <para>Pieces are claimed, not assigned: the caller claims pieces too and never waits for a helper to start,
/// so a run finishes on the calling thread alone when the pool is busy (a late helper joins whatever phase is
/// current, or finds the run over and leaves). There is no barrier with a fixed party that a missing thread
/// could deadlock.</para>
/// <para>The ticket packs the phase number (high bits, increasing for the runner's life) with the next unclaimed
/// piece (low 16 bits), so a claim is one compare-and-swap that cannot take a piece of a phase that has moved
/// on. Nothing is allocated per run: the helper work item is one object queued as often as needed.</para>
/// </remarks>
internal sealed class PhaseRunner
{
    private const int PieceBits = 16;

    private readonly Action<int> _runPiece;
    private readonly Helper _helper;
    private long _ticket;
    private int _pieces;
    private int _done;
    private int _helpers;
    private volatile bool _running;
    private Exception? _failure;

    /// <summary>A runner whose pieces are run by <paramref name="runPiece"/> (given the piece index of the current phase).</summary>
    public PhaseRunner(Action<int> runPiece)
    {
        _runPiece = runPiece;
        _helper = new Helper(this);
    }

    /// <summary>Starts a run: asks the thread pool for helpers up to <paramref name="threads"/> − 1 in all (counting any still
    /// active from an earlier run).</summary>
    public void Begin(int threads)
    {
        _failure = null;
        _running = true;
        while (true)
        {
            int active = Volatile.Read(ref _helpers);
            if (active >= threads - 1)
            {
                break;
            }

            if (Interlocked.CompareExchange(ref _helpers, active + 1, active) == active)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_helper, preferLocal: false);
            }
        }
    }

    /// <summary>
    /// Runs one phase of <paramref name="pieces"/> pieces (1 to 65 535) and returns when all are done. The caller sets up
    /// whatever the pieces read before the call; the pieces' writes are visible to it after.
    /// </summary>
    public void Run(int pieces)
    {
        // Order matters: with no pieces open, a helper still holding the last phase's ticket cannot claim; the new ticket
        // goes out before the pieces open, so a claim that sees the new count must also hold the new ticket.
        long phase = (Volatile.Read(ref _ticket) >> PieceBits) + 1;
        Interlocked.Exchange(ref _pieces, 0);
        Volatile.Write(ref _done, 0);
        Interlocked.Exchange(ref _ticket, phase << PieceBits);
        Interlocked.Exchange(ref _pieces, pieces); // opens the phase (and publishes everything set up before it)
        while (TryRunOne())
        {
        }

        var spin = default(SpinWait);
        while (Volatile.Read(ref _done) < pieces)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (_failure is not null)
        {
            ExceptionDispatchInfo.Capture(_failure).Throw();
        }
    }

    /// <summary>Ends the run: helpers still waiting for a phase leave.</summary>
    public void End() => _running = false;

    /// <summary>Claims and runs one piece of the current phase; false when none is left.</summary>
    private bool TryRunOne()
    {
        while (true)
        {
            long ticket = Volatile.Read(ref _ticket);
            int next = (int)(ticket & ((1 << PieceBits) - 1));
            if (next >= Volatile.Read(ref _pieces))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket)
            {
                continue; // another thread claimed it, or the phase moved on
            }

            try
            {
                _runPiece(next);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _failure, exception, null);
            }

            Interlocked.Increment(ref _done); // the phase cannot advance before this, so the claim stayed valid
            return true;
        }
    }

    /// <summary>The pool's view of a helper: run pieces while the run lasts, then leave.</summary>
    private sealed class Helper(PhaseRunner runner) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            var spin = default(SpinWait);
            while (runner._running)
            {
                if (runner.TryRunOne())
                {
                    spin.Reset();
                    continue;
                }

                spin.SpinOnce(sleep1Threshold: -1);
            }

            Interlocked.Decrement(ref runner._helpers);
        }
    }
}
