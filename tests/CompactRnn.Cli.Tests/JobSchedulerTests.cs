using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using CompactRnn.Cli.Experiments;

namespace CompactRnn.Cli.Tests;

public sealed class JobSchedulerTests
{
    [Fact]
    public void Run_StartsEachJobOnlyAfterItsDependenciesAndRunsIndependentJobsTogether()
    {
        var finished = new ConcurrentQueue<string>();
        var started = new ConcurrentDictionary<string, string[]>();
        int running = 0, maxRunning = 0;
        var jobs = new JobScheduler(2);
        void Add(string name, params string?[] after) => jobs.Add(name, after, () =>
        {
            started[name] = [.. finished];
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            Thread.Sleep(30);
            Interlocked.Decrement(ref running);
            finished.Enqueue(name);
        });
        Add("dense");
        Add("dense-s2");
        Add("dense-s3");
        Add("search", "dense");
        Add("rate", "search");
        Add("hybrid", "search", null);
        Add("hybrid-svd-s3", "dense-s3", "search", "rate");
        Add("kept-earlier", "not-a-job");

        jobs.Run(default);

        Assert.Equal(8, finished.Count);
        Assert.Contains("dense", started["search"]);
        Assert.Contains("search", started["rate"]);
        Assert.Contains("search", started["hybrid"]);
        Assert.True(new[] { "dense-s3", "search", "rate" }.All(started["hybrid-svd-s3"].Contains));
        Assert.Equal(2, maxRunning);
    }

    [Fact]
    public void Run_RethrowsTheFirstFailureAndStartsNothingThatNeedsIt()
    {
        bool dependentRan = false;
        var jobs = new JobScheduler(2);
        jobs.Add("fails", [], () => throw new InvalidOperationException("boom"));
        jobs.Add("needs-it", ["fails"], () => dependentRan = true);
        var error = Assert.Throws<InvalidOperationException>(() => jobs.Run(default));
        Assert.Equal("boom", error.Message);
        Assert.False(dependentRan);
    }

    [Fact]
    public void Run_JobsThatWaitForEachOther_FailWithTheirNames()
    {
        var jobs = new JobScheduler(1);
        jobs.Add("a", ["b"], () => { });
        jobs.Add("b", ["a"], () => { });
        var error = Assert.Throws<InvalidOperationException>(() => jobs.Run(default));
        Assert.Contains("a, b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_TheSameNameTwice_IsRejected()
    {
        var jobs = new JobScheduler(1);
        jobs.Add("a", [], () => { });
        Assert.Throws<ArgumentException>(() => jobs.Add("a", [], () => { }));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
