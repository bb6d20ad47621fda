using System;
using System.IO;
using CompactRnn.Serialization;
using CompactRnn.Training;

namespace CompactRnn.Tests.Serialization;

public sealed class CheckpointFileTests : IDisposable
{
    private const string Kind = "CompactRnn.Test";
    private const int Count = 53;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Read_AfterWrite_ResumedAdamContinuesBitIdentically()
    {
        var schedule = new LinearWarmupSchedule(new CosineSchedule(0.01f, 10), 2);
        float[] gradient = ModelFileTests.RandomFloats(Count, seed: 8);
        float[] uninterrupted = ModelFileTests.RandomFloats(Count, seed: 9);
        var original = new AdamOptimizer(Count, schedule, weightDecay: 0.01f, decoupledWeightDecay: true);
        for (int i = 0; i < 3; i++)
        {
            original.Step(uninterrupted, gradient);
        }

        string path = _directory.File("run.ckpt");
        CheckpointFile.Write(path, Kind, "{\"h\":3}"u8, uninterrupted, original.ExportState(), "{\"epoch\":4}"u8);
        original.Step(uninterrupted, gradient);
        original.Step(uninterrupted, gradient);

        Checkpoint checkpoint = CheckpointFile.Read(path);
        var resumed = new AdamOptimizer(Count, schedule, weightDecay: 0.01f, decoupledWeightDecay: true);
        resumed.RestoreState(checkpoint.Optimizer);
        float[] parameters = checkpoint.Model.Parameters;
        resumed.Step(parameters, gradient);
        resumed.Step(parameters, gradient);

        Assert.Equal(Kind, checkpoint.Model.KindTag);
        Assert.Equal("{\"epoch\":4}"u8.ToArray(), checkpoint.TrainerState);
        Assert.Equal("adamw", checkpoint.Optimizer.Kind);
        Assert.Equal(3, checkpoint.Optimizer.StepCount);
        Assert.Equal(["adam.m", "adam.v"], checkpoint.Optimizer.SlotNames);
        Assert.Equal(5, resumed.StepCount);
        Assert.Equal(uninterrupted, parameters);
    }

    [Fact]
    public void ModelFileRead_OfCheckpoint_ReturnsTheModel()
    {
        string path = _directory.File("run.ckpt");
        float[] parameters = ModelFileTests.RandomFloats(Count, seed: 1);
        CheckpointFile.Write(path, Kind, "{}"u8, parameters, new SgdOptimizer(Count, 0.1f, momentum: 0.9f).ExportState(), []);

        ModelFileContents model = ModelFile.Read(path, Kind);

        Assert.Equal(parameters, model.Parameters);
    }

    [Fact]
    public void Read_OfModelFile_ThrowsSayingItIsNotACheckpoint()
    {
        string path = _directory.File("model.crnn");
        ModelFile.Write(path, Kind, "{}"u8, [1f]);

        var error = Assert.Throws<InvalidDataException>(() => CheckpointFile.Read(path));

        Assert.Contains("is a model file, not a checkpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RestoreState_OtherKind_ThrowsNamingBoth()
    {
        string path = _directory.File("run.ckpt");
        CheckpointFile.Write(path, Kind, "{}"u8, new float[Count], new SgdOptimizer(Count, 0.1f, momentum: 0.9f).ExportState(), []);
        Checkpoint checkpoint = CheckpointFile.Read(path);

        var error = Assert.Throws<ArgumentException>(() => new AdamOptimizer(Count, new ConstantSchedule(0.1f)).RestoreState(checkpoint.Optimizer));

        Assert.Equal("state", error.ParamName);
        Assert.Contains("'sgd' optimiser state; this optimiser is 'adam'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RestoreState_SgdWithMomentum_RestoresVelocity()
    {
        string path = _directory.File("run.ckpt");
        var saved = new SgdOptimizer(Count, 0.1f, momentum: 0.9f);
        saved.Step(new float[Count], ModelFileTests.RandomFloats(Count, seed: 2));
        CheckpointFile.Write(path, Kind, "{}"u8, new float[Count], saved.ExportState(), []);

        var restored = new SgdOptimizer(Count, 0.1f, momentum: 0.9f);
        restored.RestoreState(CheckpointFile.Read(path).Optimizer);

        Assert.Equal(1, restored.StepCount);
        Assert.Equal(saved.GetState(0).ToArray(), restored.GetState(0).ToArray());
    }

    [Fact]
    public void Write_OptimizerOfOtherSize_ThrowsNamingOptimizer()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            CheckpointFile.Write(_directory.File("x.ckpt"), Kind, [], new float[3], new SgdOptimizer(4, 0.1f).ExportState(), []));

        Assert.Equal("optimizer", error.ParamName);
    }

    [Fact]
    public void Read_FlippedOptimizerStateByte_ReportsChecksumMismatch()
    {
        string path = _directory.File("run.ckpt");
        CheckpointFile.Write(path, Kind, "{}"u8, new float[Count], new AdamOptimizer(Count, new ConstantSchedule(0.1f)).ExportState(), []);
        ModelFileTests.Patch(path, bytes => bytes[^20] ^= 0x40);

        var error = Assert.Throws<InvalidDataException>(() => CheckpointFile.Read(path));

        Assert.Contains("checksum mismatch", error.Message, StringComparison.Ordinal);
    }
}
