using System;
using System.IO;
using System.Threading;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public sealed class BpttTrainerTests
{
    private static (LstmNetwork Network, float[] Parameters) Network(string spec, OutputMode mode = OutputMode.Frame, float dropout = 0f)
    {
        var network = new LstmNetwork(new LstmNetworkOptions
        {
            InputSize = 3,
            Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = 12, Peepholes = true, CellClip = 10f }),
            OutputSize = 3,
            OutputMode = mode,
            Dropout = dropout,
        });
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed: 4);
        return (network, parameters);
    }

    private static BpttTrainer Trainer(LstmNetwork network, float[] parameters, TrainerOptions options, float rate = 0.02f)
        => new(network, parameters, new AdamOptimizer(network.ParameterCount, new ConstantSchedule(rate)), options);

    [Theory]
    [InlineData("dense x1", 0)]
    [InlineData("lowrank:k=4 x1 | shared-lowrank:k=6 x1", 0)]
    [InlineData("dense x2", 4)]
    [InlineData("toeplitz:r=2/lowrank:k=4 x1 | toeplitz:r=2/shared-lowrank:k=6 x1", 0)] // hybrid layers: W_x Toeplitz-like, W_r low-rank or on the shared projection
    public void Train_TaskNeedingMemory_LearnsIt(string spec, int chunk)
    {
        var (network, parameters) = Network(spec, dropout: spec.Contains("x2", StringComparison.Ordinal) ? 0.1f : 0f);
        var trainer = Trainer(network, parameters, new TrainerOptions { Epochs = 12, BatchSize = 8, ChunkLength = chunk, Seed = 3 });
        EvaluationResult before = trainer.Evaluate(new DelayedArgMaxDataset(64, seed: 2));
        EpochRecord[] history = trainer.Train(new DelayedArgMaxDataset(256, seed: 1), new DelayedArgMaxDataset(64, seed: 2));
        EvaluationResult after = trainer.Evaluate(new DelayedArgMaxDataset(64, seed: 2));
        Assert.True(after.Loss < 0.5 * before.Loss, $"validation loss {before.Loss:F3} → {after.Loss:F3}");
        Assert.True(after.Accuracy > 0.85, $"accuracy {after.Accuracy:F3}");
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss);
    }

    [Fact]
    public void Train_SequenceClassification_LearnsIt()
    {
        var (network, parameters) = Network("dense x1", OutputMode.LastFrame);
        var trainer = Trainer(network, parameters, new TrainerOptions { Epochs = 15, BatchSize = 8, Seed = 3 });
        trainer.Train(new DelayedArgMaxDataset(256, seed: 1), null);
        EvaluationResult after = trainer.Evaluate(new DelayedArgMaxDataset(128, seed: 2));
        Assert.True(after.Accuracy > 0.7, $"accuracy {after.Accuracy:F3}");
        Assert.Equal(128, after.Frames);
    }

    [Fact]
    public void Train_SameSeedTwice_GivesIdenticalBits()
    {
        float[] Run()
        {
            var (network, parameters) = Network("lowrank:k=4 x2", dropout: 0.2f);
            Trainer(network, parameters, new TrainerOptions { Epochs = 2, BatchSize = 5, ChunkLength = 4, Seed = 9 })
                .Train(new DelayedArgMaxDataset(40, seed: 1), null);
            return parameters;
        }

        Assert.Equal(Run(), Run());
    }

    [Theory]
    [InlineData("lowrank:k=4 x2")]
    [InlineData("toeplitz:r=2 x2")]          // dense form: each shard's tape owns its layers' gradient accumulators
    [InlineData("toeplitz-stacked:r=3 x2")]
    public void Train_TwoThreads_IsDeterministicAndAgreesWithOneThread(string spec)
    {
        float[] Run(int threads, int epochs)
        {
            var (network, parameters) = Network(spec);
            Trainer(network, parameters, new TrainerOptions { Epochs = epochs, BatchSize = 7, ChunkLength = 5, Seed = 9, Threads = threads })
                .Train(new DelayedArgMaxDataset(40, seed: 1), null);
            return parameters;
        }

        Assert.Equal(Run(2, 2), Run(2, 2));

        // One update's worth of work: the halves' gradients add up to the whole batch's, up to rounding.
        var (network, start) = Network(spec);
        float[] one = (float[])start.Clone(), two = (float[])start.Clone();
        Trainer(network, one, new TrainerOptions { Epochs = 1, BatchSize = 40, Seed = 9, Threads = 1 }).Train(new DelayedArgMaxDataset(40, seed: 1), null);
        Trainer(network, two, new TrainerOptions { Epochs = 1, BatchSize = 40, Seed = 9, Threads = 2 }).Train(new DelayedArgMaxDataset(40, seed: 1), null);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(Math.Abs(one[i] - two[i]) <= 1e-5, $"θ[{i}]: {one[i]} (1 thread) vs {two[i]} (2 threads)");
        }
    }

    [Fact]
    public void Train_TwoThreadsOnSequenceClassification_Learns()
    {
        var (network, parameters) = Network("dense x1", OutputMode.LastFrame);
        var trainer = Trainer(network, parameters, new TrainerOptions { Epochs = 15, BatchSize = 8, Seed = 3, Threads = 2 });
        trainer.Train(new DelayedArgMaxDataset(256, seed: 1), null);
        Assert.True(trainer.Evaluate(new DelayedArgMaxDataset(128, seed: 2)).Accuracy > 0.7);
    }

    [Fact]
    public void Train_NonFiniteInput_ThrowsWithTheUpdateAndKeepsLastGoodParameters()
    {
        var (network, parameters) = Network("dense x1");
        float[] before = (float[])parameters.Clone();
        var trainer = Trainer(network, parameters, new TrainerOptions { Epochs = 1, BatchSize = 64, Seed = 1 });
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train(new DelayedArgMaxDataset(64, seed: 1, poison: true), null));
        Assert.Equal(0, error.Update);
        Assert.Contains("not finite", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, parameters);
    }

    [Fact]
    public void Train_Cancelled_StopsWithOperationCanceled()
    {
        var (network, parameters) = Network("dense x1");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var trainer = Trainer(network, parameters, new TrainerOptions { Epochs = 3, BatchSize = 8 });
        Assert.Throws<OperationCanceledException>(() => trainer.Train(new DelayedArgMaxDataset(16, seed: 1), null, null, cancellation.Token));
    }

    [Fact]
    public void Train_NoImprovement_StopsEarlyAfterPatience()
    {
        var (network, parameters) = Network("dense x1");
        var trainer = Trainer(network, parameters, new TrainerOptions { Epochs = 10, BatchSize = 8, Patience = 2 }, rate: 0f);
        EpochRecord[] history = trainer.Train(new DelayedArgMaxDataset(16, seed: 1), new DelayedArgMaxDataset(8, seed: 2));
        Assert.Equal(3, history.Length);
    }

    [Fact]
    public void Train_WithCheckpointPath_WritesALoadableCheckpointEachEpoch()
    {
        string directory = Directory.CreateTempSubdirectory("compactrnn-ckpt-").FullName;
        try
        {
            string path = Path.Combine(directory, "run.ckpt");
            var (network, parameters) = Network("dense x1");
            var trainer = Trainer(network, parameters, new TrainerOptions { Epochs = 2, BatchSize = 8, CheckpointPath = path });
            var reports = new System.Collections.Generic.List<TrainingProgress>();
            trainer.Train(new DelayedArgMaxDataset(16, seed: 1), null, new SynchronousProgress(reports.Add));
            Checkpoint checkpoint = CheckpointFile.Read(path);
            Assert.Equal(parameters, checkpoint.Model.Parameters);
            Assert.Equal("adam", checkpoint.Optimizer.Kind);
            Assert.Equal(trainer.Updates, checkpoint.Optimizer.StepCount);
            Assert.Contains(reports, r => r.Epoch == 2 && r.EpochFraction == 1);
            Assert.All(reports, r => Assert.True(double.IsFinite(r.TrainLoss)));
            LstmModel model = LstmModel.Load(path); // a checkpoint is also a model file
            Assert.Equal(network.ParameterCount, model.Parameters.Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Constructor_DatasetWithWrongFeatureSize_ThrowsNamingTrain()
    {
        var network = new LstmNetwork(new LstmNetworkOptions { InputSize = 4, Layers = [new LstmLayerOptions { HiddenSize = 3 }], OutputSize = 3 });
        var trainer = new BpttTrainer(network, new float[network.ParameterCount], new SgdOptimizer(network.ParameterCount, 0.1f), new TrainerOptions());
        var error = Assert.Throws<ArgumentException>(() => trainer.Train(new DelayedArgMaxDataset(4, 1), null));
        Assert.Equal("train", error.ParamName);
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
