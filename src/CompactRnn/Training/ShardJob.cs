using CompactRnn.Models;
using CompactRnn.Threading;

namespace CompactRnn.Training;

/// <summary>One <see cref="TrainingShard.Run"/> with its arguments, for the trainer's second thread (<see cref="TrainerOptions.Threads"/> = 2).</summary>
internal readonly record struct ShardJob(
    TrainingShard Shard, LstmNetwork Network, float[] Parameters, float[] Cache, bool LastFrame, int Start, int Steps,
    float Scale, float LabelSmoothing, float DistillationWeight) : IWorkerJob
{
    /// <inheritdoc />
    public void Run() => Shard.Run(Network, Parameters, Cache, LastFrame, Start, Steps, Scale, LabelSmoothing, DistillationWeight);
}
