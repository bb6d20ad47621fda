using System;
using System.CommandLine;
using CompactRnn.Cli.Experiments;
using CompactRnn.Cli.Reporting;
using CompactRnn.Cli.Speech;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Speech.Data;
using Spectre.Console;

namespace CompactRnn.Cli.Commands;

/// <summary><c>train</c>: a model spec and a dataset in, a model file out.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var spec = new Option<string?>("--spec") { Description = "Layer spec, e.g. 'toeplitz:r=8 x2 | shared-lowrank:k=32 x1' (not with --resume, which takes the checkpoint's)." };
        var output = new Option<string>("--out") { Description = "Model file to write.", Required = true };
        var data = CommonOptions.Data();
        var hidden = new Option<int>("--hidden") { Description = "Cells per layer.", DefaultValueFactory = _ => 128 };
        var projection = new Option<int>("--projection") { Description = "Projection size (0 = none).", DefaultValueFactory = _ => 64 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => 6 };
        var batch = new Option<int>("--batch") { Description = "Utterances per minibatch.", DefaultValueFactory = _ => 16 };
        var rate = new Option<float>("--lr") { Description = "Peak learning rate (Adam, warm-up + cosine).", DefaultValueFactory = _ => PlateauRecipe.DefaultLearningRate };
        var chunk = new Option<int>("--chunk") { Description = "Truncated BPTT chunk length in frames (0 = full BPTT).", DefaultValueFactory = _ => 0 };
        var seed = CommonOptions.Seed();
        var threads = new Option<int>("--threads") { Description = "1, or 2 to split each minibatch over two cores (deterministic for a given count).", DefaultValueFactory = _ => 1 };
        var teacher = new Option<string?>("--teacher") { Description = "A trained model (.crnn) to distil from: each frame's target mixes the label and the teacher's posterior." };
        var alpha = CommonOptions.DistillationWeight();
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Write a checkpoint here after every epoch (with --resume: defaults to the resumed file)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run that wrote this checkpoint, bit-identically; pass the same --data, --epochs, --batch, --lr, --chunk, --seed and --threads." };
        var stopAfter = new Option<int>("--stop-after") { Description = "End after this epoch (and its checkpoint) as if interrupted, for time-boxed jobs (0 = run all epochs).", DefaultValueFactory = _ => 0 };
        var keepLastGood = new Option<bool>("--keep-last-good")
        {
            Description = "If training diverges, still save the parameters of the last good update (the exit code stays non-zero).",
        };
        var command = new Command("train", "Train an acoustic model from a layer spec on a speech dataset (best epoch by dev loss). Exits with code 3 and writes no model if training diverges, unless --keep-last-good.")
        {
            spec, output, data, hidden, projection, epochs, batch, rate, chunk, seed, threads, teacher, alpha, checkpoint, resume, stopAfter, keepLastGood,
        };
        command.SetAction(parse =>
        {
            // Everything the user typed is checked before the data is read or a minute of training is spent.
            string outputPath = CommonOptions.RequireOutputFile(parse.GetValue(output)!, "--out");
            int hiddenSize = Positive(parse.GetValue(hidden), "--hidden");
            int projectionSize = NonNegative(parse.GetValue(projection), "--projection");
            int epochCount = Positive(parse.GetValue(epochs), "--epochs");
            int batchSize = Positive(parse.GetValue(batch), "--batch");
            float learningRate = CommonOptions.RequireRate(parse.GetValue(rate), "--lr");
            int chunkLength = NonNegative(parse.GetValue(chunk), "--chunk");
            int threadCount = CommonOptions.RequireThreads(parse.GetValue(threads), "--threads");
            float weight = CommonOptions.RequireWeight(parse.GetValue(alpha));
            int stopAfterEpoch = NonNegative(parse.GetValue(stopAfter), "--stop-after");
            Checkpoint? resumed = parse.GetValue(resume) is { } resumePath ? CheckpointFile.Read(resumePath) : null;
            string? checkpointPath = parse.GetValue(checkpoint) ?? parse.GetValue(resume);
            if (stopAfterEpoch > 0 && checkpointPath is null)
            {
                throw new CliException("--stop-after needs --checkpoint, the file a later --resume continues from.");
            }

            if (resumed is not null && parse.GetValue(spec) is not null)
            {
                throw new CliException("--resume continues the checkpoint's network; leave out --spec.");
            }

            string specText = resumed is not null ? "(from the checkpoint)" : parse.GetValue(spec) ?? throw new CliException("--spec is required (unless --resume is given).");
            var defaults = new LstmLayerOptions { HiddenSize = hiddenSize, ProjectionSize = projectionSize, Peepholes = true, CellClip = 50f };
            LstmModel? teacherModel = parse.GetValue(teacher) is { } teacherPath ? EvalCommand.LoadModel(teacherPath) : null;
            SpeechDataset dataset = CommonOptions.LoadDataset(parse.GetValue(data)!);
            LstmNetworkOptions options;
            LstmNetwork network;
            try
            {
                options = resumed is not null ? NetworkOptionsJson.Read(resumed.Model.Configuration)
                    : new LstmNetworkOptions { InputSize = dataset.FeatureDimension, Layers = NetworkSpec.Parse(specText, defaults), OutputSize = dataset.ClassCount };
                network = new LstmNetwork(options);
            }
            catch (ArgumentException error)
            {
                throw OptionErrors.For("--spec/--hidden/--projection", error);
            }

            var recipe = new TrainingRecipe(epochCount, batchSize, learningRate, chunkLength, 5f, parse.GetValue(seed), threadCount);
            float[] parameters = new float[network.ParameterCount];
            network.Initialize(parameters, recipe.Seed);
            var train = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Train));
            var dev = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Dev));
            AnsiConsole.MarkupLineInterpolated($"--spec '{specText}' = {NetworkSpec.Format(options)}");
            foreach (string line in LayerDescription.Lines(network))
            {
                AnsiConsole.MarkupLineInterpolated($"  {line}");
            }

            AnsiConsole.MarkupLineInterpolated($"{network.ParameterCount:N0} parameters, {(double)network.ParameterCount / network.DenseParameterCount:P1} of the same sizes with every gate matrix dense ({network.DenseParameterCount:N0}).");
            TrainingOutcome outcome = TrainingDisplay.Run("training", recipe.Epochs,
                progress =>
                {
                    try
                    {
                        return recipe.Train(network, parameters, train, dev, recipe.Epochs, recipe.LearningRate, progress, default, teacherModel, weight,
                            checkpointPath, resumed, stopAfterEpoch);
                    }
                    catch (ArgumentException error) when (resumed is not null)
                    {
                        throw new CliException($"Cannot resume from {parse.GetValue(resume)}: {error.Message} Pass the same --epochs, --batch, --lr, --chunk, --seed and --threads as the run that wrote it.");
                    }
                });
            if (stopAfterEpoch > 0 && stopAfterEpoch < recipe.Epochs && outcome.Diverged is null)
            {
                AnsiConsole.MarkupLineInterpolated($"Stopped after epoch {stopAfterEpoch} of {recipe.Epochs}; continue with: train --resume {checkpointPath} (same --data, --epochs, --batch, --lr, --chunk, --seed, --threads).");
            }

            if (outcome.Diverged is { } diverged)
            {
                // Never report success for a run that blew up; the file is written only when asked for.
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] training {diverged} (the loss, a gradient or a parameter became NaN or infinite; try a lower --lr).");
                if (!parse.GetValue(keepLastGood))
                {
                    AnsiConsole.MarkupLineInterpolated($"No model written; rerun with --keep-last-good to save the parameters of the last good update.");
                    return DivergedExitCode;
                }

                outcome.Model.Save(outputPath);
                AnsiConsole.MarkupLineInterpolated($"Saved the last good parameters (before the divergence) to {outputPath}.");
                return DivergedExitCode;
            }

            outcome.Model.Save(outputPath);
            AnsiConsole.MarkupLineInterpolated($"Saved {outputPath} after {outcome.Seconds:F0} s.");
            return 0;
        });
        return command;
    }

    /// <summary>The exit code of a run that diverged (1 is a usage or input error).</summary>
    internal const int DivergedExitCode = 3;

    internal static int Positive(int value, string name)
        => value >= 1 ? value : throw new CliException($"{name} must be at least 1 (got {value}).");

    internal static int NonNegative(int value, string name)
        => value >= 0 ? value : throw new CliException($"{name} must be 0 or more (got {value}).");
}
