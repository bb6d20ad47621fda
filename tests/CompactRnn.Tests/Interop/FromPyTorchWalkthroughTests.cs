using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Compression;
using CompactRnn.Interop;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Tests.Serialization;
using CompactRnn.Tests.Training;
using CompactRnn.Training;

namespace CompactRnn.Tests.Interop;

/// <summary>
/// The .NET side of docs/from-pytorch.md, step by step, on a small model: the "PyTorch" safetensors file is written here
/// with nn.LSTM's names and layout (no Python in CI), then imported, compressed to a budget, fine-tuned with a resume,
/// evaluated, saved, streamed and exported back.
/// </summary>
public sealed class FromPyTorchWalkthroughTests
{
    [Fact]
    public void Walkthrough_FromSafetensorsToAStreamingCompactModel()
    {
        using var folder = new TemporaryDirectory();
        const int features = 3, hidden = 16, proj = 8, classes = 3;
        string stateDictPath = folder.File("am.safetensors");
        WritePyTorchLikeStateDict(stateDictPath, features, hidden, proj, layers: 2, classes);

        // 2. Import.
        var (network, parameters) = PyTorchLstmImporter.ImportFile(stateDictPath);
        var dense = new LstmModel(network, parameters);
        Assert.Equal(2, dense.Network.Layers.Count);
        Assert.Equal(classes, dense.Network.OutputSize);

        // 3. Compress to 50 % of the dense parameters (largest rank that fits).
        long budget = (long)(0.50 * dense.Network.ParameterCount);
        int low = 1, high = dense.Network.Layers.Min(l => Math.Min(l.InputSize, l.OutputSize)); // the largest rank every W_x, W_r allows
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (ModelCompressor.ToLowRank(dense, RankRule.Fixed(middle)).Network.ParameterCount <= budget) low = middle; else high = middle - 1;
        }

        LstmModel compact = ModelCompressor.ToLowRank(dense, RankRule.Fixed(low));
        Assert.InRange(compact.Network.ParameterCount, 1, budget);
        Assert.True(low == 3 || ModelCompressor.ToLowRank(dense, RankRule.Fixed(low + 1)).Network.ParameterCount > budget); // 3 = the largest rank of W_x (3 inputs)

        // 4. Fine-tune, interrupted after one epoch and resumed in a "new process".
        var trainSet = new DelayedArgMaxDataset(48, seed: 1);
        var devSet = new DelayedArgMaxDataset(16, seed: 2);
        var testSet = new DelayedArgMaxDataset(16, seed: 3);
        int updatesPerEpoch = 3;
        AdamOptimizer Optimizer() => new(compact.Network.ParameterCount, new CosineSchedule(1e-2f, totalSteps: 3 * updatesPerEpoch));
        var options = new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = 1, CheckpointPath = folder.File("tune.ckpt") };
        float[] tuned = compact.Parameters.ToArray();
        EvaluationResult before = new BpttTrainer(compact.Network, tuned, Optimizer(), options).Evaluate(testSet);
        new BpttTrainer(compact.Network, tuned, Optimizer(), options with { StopAfterEpoch = 1 }).Train(trainSet, devSet);
        var trainer = new BpttTrainer(compact.Network, tuned, Optimizer(), options);
        trainer.Resume(CheckpointFile.Read(folder.File("tune.ckpt")));
        EpochRecord[] history = trainer.Train(trainSet, devSet);
        Assert.Equal([1, 2, 3], history.Select(r => r.Epoch));

        // 5. Evaluate, save, stream.
        EvaluationResult test = trainer.Evaluate(testSet);
        Assert.True(test.Loss < before.Loss, $"fine-tuning: test loss {before.Loss:F3} → {test.Loss:F3}");
        var model = new LstmModel(compact.Network, tuned);
        model.Save(folder.File("am-compact.crnn"));
        LstmModel loaded = LstmModel.Load(folder.File("am-compact.crnn"));
        StreamingSession session = loaded.CreateSession();
        float[] inputs = [.. Enumerable.Range(0, 10 * features).Select(i => MathF.Sin(i * 0.7f))];
        float[] batch = new float[10 * classes], logits = new float[classes];
        loaded.Infer(inputs, 10, 1, [], batch);
        for (int t = 0; t < 10; t++)
        {
            session.Step(inputs.AsSpan(t * features, features), logits);
            for (int k = 0; k < classes; k++)
            {
                Assert.True(Math.Abs(logits[k] - batch[(t * classes) + k]) <= 1e-5f, $"step {t}, class {k}");
            }
        }

        // 6. Back to PyTorch and in again: the compact model exactly.
        PyTorchLstmExporter.ExportFile(model, folder.File("am-compact.safetensors"));
        var (again, againParameters) = PyTorchLstmImporter.ImportFile(folder.File("am-compact.safetensors"));
        Assert.Equal(NetworkOptionsJson.Write(model.Network.Options), NetworkOptionsJson.Write(again.Options));
        Assert.Equal(model.Parameters.ToArray(), againParameters);
    }

    /// <summary>What <c>safetensors.torch.save_file</c> writes for an nn.LSTM(proj_size) plus an nn.Linear named output.</summary>
    private static void WritePyTorchLikeStateDict(string path, int features, int hidden, int proj, int layers, int classes)
    {
        var random = new Random(17);
        float bound = 1f / MathF.Sqrt(hidden); // PyTorch's default U(−1/√H, 1/√H)
        PyTorchTensor Uniform(params int[] shape)
            => new(shape, [.. Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => ((float)random.NextDouble() * 2 - 1) * bound)]);
        var tensors = new List<KeyValuePair<string, PyTorchTensor>>();
        for (int k = 0; k < layers; k++)
        {
            tensors.Add(new($"weight_ih_l{k}", Uniform(4 * hidden, k == 0 ? features : proj)));
            tensors.Add(new($"weight_hh_l{k}", Uniform(4 * hidden, proj)));
            tensors.Add(new($"bias_ih_l{k}", Uniform(4 * hidden)));
            tensors.Add(new($"bias_hh_l{k}", Uniform(4 * hidden)));
            tensors.Add(new($"weight_hr_l{k}", Uniform(proj, hidden)));
        }

        tensors.Add(new(PyTorchParameterNames.OutputWeight, Uniform(classes, proj)));
        tensors.Add(new(PyTorchParameterNames.OutputBias, Uniform(classes)));
        SafetensorsFile.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
    }
}
