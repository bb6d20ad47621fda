using System;
using System.IO;
using System.Linq;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Tests.Serialization;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

/// <summary>Resuming from a checkpoint continues bit-identically: optimiser state, schedule position, dropout and shuffling, model selection.</summary>
public sealed class TrainerResumeTests
{
    private const int Epochs = 4;

    private static LstmNetwork Network() => new(new LstmNetworkOptions
    {
        InputSize = 3,
        Layers = NetworkSpec.Parse("lowrank:k=4 x1 | toeplitz:r=2 x1", new LstmLayerOptions { HiddenSize = 10, Peepholes = true, CellClip = 10f }),
        OutputSize = 3,
        Dropout = 0.2f,
    });

    // The schedule spans all epochs of the run, interrupted or not: warm-up then cosine decay over 4 epochs of 8 updates.
    private static AdamOptimizer Optimizer(LstmNetwork network, float rate = 0.02f)
        => new(network.ParameterCount, new LinearWarmupSchedule(new CosineSchedule(rate, (Epochs * 8) - 3, rate * 0.05f), 3));

    private static TrainerOptions Options(string checkpoint, int threads, int stopAfter = 0, int pool = 0)
        => new() { Epochs = Epochs, BatchSize = 5, ChunkLength = 4, Seed = 9, Threads = threads, Patience = 3, CheckpointPath = checkpoint, StopAfterEpoch = stopAfter, LengthSortPool = pool };

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(1, 3)]
    public void HalfThenResume_IsBitIdenticalToAStraightRun(int threads, int pool)
    {
        using var folder = new TemporaryDirectory();
        var train = new DelayedArgMaxDataset(40, seed: 1);
        var dev = new DelayedArgMaxDataset(12, seed: 2);

        LstmNetwork network = Network();
        float[] straight = new float[network.ParameterCount];
        network.Initialize(straight, seed: 4);
        EpochRecord[] straightHistory = new BpttTrainer(network, straight, Optimizer(network), Options(folder.File("straight.ckpt"), threads, pool: pool)).Train(train, dev);

        float[] firstHalf = new float[network.ParameterCount];
        network.Initialize(firstHalf, seed: 4);
        EpochRecord[] halfHistory = new BpttTrainer(network, firstHalf, Optimizer(network), Options(folder.File("half.ckpt"), threads, stopAfter: Epochs / 2, pool: pool)).Train(train, dev);
        Assert.Equal(Epochs / 2, halfHistory.Length);

        // A new process: a fresh network, buffer and optimiser, everything else from the checkpoint.
        LstmNetwork again = Network();
        float[] resumed = new float[again.ParameterCount];
        var trainer = new BpttTrainer(again, resumed, Optimizer(again), Options(folder.File("half.ckpt"), threads, pool: pool));
        trainer.Resume(CheckpointFile.Read(folder.File("half.ckpt")));
        EpochRecord[] resumedHistory = trainer.Train(train, dev);

        Assert.Equal(Bits(straight), Bits(resumed));
        Assert.Equal(straightHistory.Select(r => r.TrainLoss), resumedHistory.Select(r => r.TrainLoss));
        Assert.Equal(straightHistory.Select(r => r.Validation), resumedHistory.Select(r => r.Validation));
        Checkpoint a = CheckpointFile.Read(folder.File("straight.ckpt")), b = CheckpointFile.Read(folder.File("half.ckpt"));
        Assert.Equal(Bits(a.Model.Parameters), Bits(b.Model.Parameters));
        Assert.Equal(a.Optimizer.StepCount, b.Optimizer.StepCount);
        Assert.Equal(Bits(a.Optimizer.GetSlot("adam.v").ToArray()), Bits(b.Optimizer.GetSlot("adam.v").ToArray()));
        Assert.Equal(Bits(a.BestParameters!), Bits(b.BestParameters!));
    }

    [Fact]
    public void Resume_WithAnotherSeedScheduleOrNetwork_IsRejectedByName()
    {
        using var folder = new TemporaryDirectory();
        LstmNetwork network = Network();
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed: 4);
        new BpttTrainer(network, parameters, Optimizer(network), Options(folder.File("run.ckpt"), 1, stopAfter: 1)).Train(new DelayedArgMaxDataset(40, seed: 1), null);
        Checkpoint checkpoint = CheckpointFile.Read(folder.File("run.ckpt"));

        var otherSeed = new BpttTrainer(network, new float[network.ParameterCount], Optimizer(network), Options(folder.File("x.ckpt"), 1) with { Seed = 10 });
        Assert.Equal("Seed", Assert.Throws<ArgumentException>(() => otherSeed.Resume(checkpoint)).ParamName);
        var otherBatch = new BpttTrainer(network, new float[network.ParameterCount], Optimizer(network), Options(folder.File("x.ckpt"), 1) with { BatchSize = 6 });
        Assert.Equal("BatchSize", Assert.Throws<ArgumentException>(() => otherBatch.Resume(checkpoint)).ParamName);
        var sorted = new BpttTrainer(network, new float[network.ParameterCount], Optimizer(network), Options(folder.File("x.ckpt"), 1, pool: 2));
        Assert.Equal("LengthSortPool", Assert.Throws<ArgumentException>(() => sorted.Resume(checkpoint)).ParamName);
        var otherRate = new BpttTrainer(network, new float[network.ParameterCount], Optimizer(network, rate: 0.03f), Options(folder.File("x.ckpt"), 1));
        Assert.Contains("schedule", Assert.Throws<ArgumentException>(() => otherRate.Resume(checkpoint)).Message, StringComparison.Ordinal);
        var sgd = new BpttTrainer(network, new float[network.ParameterCount], new SgdOptimizer(network.ParameterCount, new ConstantSchedule(0.1f)), Options(folder.File("x.ckpt"), 1));
        Assert.Contains("'adam'", Assert.Throws<ArgumentException>(() => sgd.Resume(checkpoint)).Message, StringComparison.Ordinal);
        var dense = new LstmNetwork(network.Options with { Layers = NetworkSpec.Parse("dense x2", new LstmLayerOptions { HiddenSize = 10 }) });
        var otherNetwork = new BpttTrainer(dense, new float[dense.ParameterCount], Optimizer(dense), Options(folder.File("x.ckpt"), 1));
        Assert.Contains("another configuration", Assert.Throws<ArgumentException>(() => otherNetwork.Resume(checkpoint)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_FromACheckpointWithoutTrainerState_SaysWhatIsMissing()
    {
        using var folder = new TemporaryDirectory();
        LstmNetwork network = Network();
        var optimizer = Optimizer(network);
        CheckpointFile.Write(folder.File("old.ckpt"), NetworkOptionsJson.KindTag, NetworkOptionsJson.Write(network.Options), new float[network.ParameterCount], optimizer.ExportState(),
            "{\"epoch\":1,\"updates\":8,\"seed\":9}"u8);
        var trainer = new BpttTrainer(network, new float[network.ParameterCount], Optimizer(network), Options(folder.File("x.ckpt"), 1));
        var error = Assert.Throws<InvalidDataException>(() => trainer.Resume(CheckpointFile.Read(folder.File("old.ckpt"))));
        Assert.Contains("it has no \"history\" (written by an older version", error.Message, StringComparison.Ordinal);
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
