using System;
using System.CommandLine;
using CompactRnn.Cli.Experiments;
using CompactRnn.Cli.Speech;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Speech.Data;
using CompactRnn.Training;
using Spectre.Console;

namespace CompactRnn.Cli.Commands;

/// <summary><c>train</c>: a model spec and a dataset in, a model file out.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var spec = new Option<string>("--spec") { Description = "Layer spec, e.g. 'toeplitz:r=8 x2 | shared-lowrank:k=32 x1'.", Required = true };
        var output = new Option<string>("--out") { Description = "Model file to write.", Required = true };
        var data = CommonOptions.Data();
        var hidden = new Option<int>("--hidden") { Description = "Cells per layer.", DefaultValueFactory = _ => 128 };
        var projection = new Option<int>("--projection") { Description = "Projection size (0 = none).", DefaultValueFactory = _ => 64 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => 6 };
        var batch = new Option<int>("--batch") { Description = "Utterances per minibatch.", DefaultValueFactory = _ => 16 };
        var rate = new Option<float>("--lr") { Description = "Peak learning rate (Adam, warm-up + cosine).", DefaultValueFactory = _ => 3e-3f };
        var chunk = new Option<int>("--chunk") { Description = "Truncated BPTT chunk length in frames (0 = full BPTT).", DefaultValueFactory = _ => 0 };
        var seed = CommonOptions.Seed();
        var threads = new Option<int>("--threads") { Description = "1, or 2 to split each minibatch over two cores (deterministic for a given count).", DefaultValueFactory = _ => 1 };
        var teacher = new Option<string?>("--teacher") { Description = "A trained model (.crnn) to distil from: each frame's target mixes the label and the teacher's posterior." };
        var alpha = CommonOptions.DistillationWeight();
        var command = new Command("train", "Train an acoustic model from a layer spec on a speech dataset (best epoch by dev loss).")
        {
            spec, output, data, hidden, projection, epochs, batch, rate, chunk, seed, threads, teacher, alpha,
        };
        command.SetAction(parse =>
        {
            SpeechDataset dataset = CommonOptions.LoadDataset(parse.GetValue(data)!);
            var defaults = new LstmLayerOptions { HiddenSize = Positive(parse.GetValue(hidden), "--hidden"), ProjectionSize = parse.GetValue(projection), Peepholes = true, CellClip = 50f };
            var options = new LstmNetworkOptions { InputSize = dataset.FeatureDimension, Layers = NetworkSpec.Parse(parse.GetValue(spec)!, defaults), OutputSize = dataset.ClassCount };
            var network = new LstmNetwork(options);
            var recipe = new TrainingRecipe(Positive(parse.GetValue(epochs), "--epochs"), Positive(parse.GetValue(batch), "--batch"), parse.GetValue(rate), parse.GetValue(chunk), 5f, parse.GetValue(seed), parse.GetValue(threads));
            float[] parameters = new float[network.ParameterCount];
            network.Initialize(parameters, recipe.Seed);
            var train = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Train));
            var dev = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Dev));
            AnsiConsole.MarkupLineInterpolated($"{NetworkSpec.Format(options.Layers)}: {network.ParameterCount:N0} parameters ({(double)network.ParameterCount / network.DenseParameterCount:P1} of the same sizes dense).");
            LstmModel? teacherModel = parse.GetValue(teacher) is { } teacherPath ? EvalCommand.LoadModel(teacherPath) : null;
            float weight = CommonOptions.RequireWeight(parse.GetValue(alpha));
            TrainingOutcome outcome = null!;
            AnsiConsole.Progress().Start(context =>
            {
                ProgressTask task = context.AddTask("training", maxValue: 1);
                var progress = new Progress<TrainingProgress>(p =>
                {
                    task.Value = Math.Min(1, (p.Epoch - 1 + p.EpochFraction) / recipe.Epochs);
                    task.Description = p.ValidationLoss is { } v ? $"epoch {p.Epoch}: dev loss {v:F3}, dev frame acc {p.ValidationAccuracy:P1}" : $"epoch {p.Epoch}: loss {p.TrainLoss:F3}, {p.FramesPerSecond:N0} frames/s";
                });
                outcome = recipe.Train(network, parameters, train, dev, recipe.Epochs, recipe.LearningRate, progress, default, teacherModel, weight);
            });
            outcome.Model.Save(parse.GetValue(output)!);
            AnsiConsole.MarkupLineInterpolated($"Saved {parse.GetValue(output)} after {outcome.Seconds:F0} s.");
            return 0;
        });
        return command;
    }

    internal static int Positive(int value, string name)
        => value >= 1 ? value : throw new CliException($"{name} must be at least 1 (got {value}).");
}
