namespace CompactRnn.Threading;

/// <summary>A unit of work a <see cref="DedicatedWorker{TJob}"/> runs; a struct, so handing it over allocates nothing.</summary>
internal interface IWorkerJob
{
    /// <summary>Runs the work on the calling thread.</summary>
    void Run();
}
