using System;
using System.CommandLine;
using CompactRnn.Cli.Experiments;
using CompactRnn.Cli.Speech;
using CompactRnn.Compression;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Speech.Data;
using Spectre.Console;

namespace CompactRnn.Cli.Commands;

/// <summary><c>compress</c>: a trained model to low-rank, shared low-rank or Toeplitz-like, then optional fine-tuning.</summary>
internal static class CompressCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Trained model file (.crnn).", Required = true };
        var output = new Option<string>("--out") { Description = "Compressed model file to write.", Required = true };
        var kind = new Option<string>("--to") { Description = "lowrank, lowrank-pergate, shared-lowrank, toeplitz, or hybrid (Toeplitz-like bottom layers, shared low-rank top layers).", Required = true };
        var tau = new Option<double?>("--tau") { Description = "Explained-variance threshold τ in (0, 1] for the rank (SVD)." };
        var rank = new Option<int?>("--rank") { Description = "Rank (or displacement rank for toeplitz), instead of --tau." };
        var displacement = new Option<int?>("--displacement-rank") { Description = "Hybrid only: displacement rank R of the Toeplitz-like bottom layers (--rank is the shared rank K)." };
        var bottom = new Option<int?>("--toeplitz-layers") { Description = "Hybrid only: how many bottom layers become Toeplitz-like (default: half the layers, rounded up)." };
        var budget = new Option<double?>("--budget") { Description = "Target share of the dense parameters in (0, 1], instead of --tau/--rank." };
        var fineTune = new Option<int>("--fine-tune-epochs") { Description = "Epochs of fine-tuning on --data after compressing (0 = none).", DefaultValueFactory = _ => 0 };
        var data = CommonOptions.Data();
        var batch = new Option<int>("--batch") { Description = "Fine-tuning only: utterances per minibatch.", DefaultValueFactory = _ => 16 };
        var alpha = CommonOptions.DistillationWeight("Fine-tuning only: weight α of the source model's posteriors in each frame's target (knowledge distillation; 0 = labels only).", 0f);
        var command = new Command("compress", "Compress a trained model by truncated SVD (low-rank, shared projection with least-squares refit) or displacement SVD (Toeplitz-like); optionally fine-tune.")
        {
            model, output, kind, tau, rank, displacement, bottom, budget, fineTune, data, alpha, batch,
        };
        command.SetAction(parse =>
        {
            LstmModel source = EvalCommand.LoadModel(parse.GetValue(model)!);
            string to = parse.GetValue(kind)!;
            LstmModel compressed = to == "hybrid"
                ? Hybrid(source, parse.GetValue(rank), parse.GetValue(displacement), parse.GetValue(bottom), parse.GetValue(tau) is not null || parse.GetValue(budget) is not null)
                : Compress(source, to, Rule(source, to, parse.GetValue(tau), parse.GetValue(rank), parse.GetValue(budget)));
            AnsiConsole.MarkupLineInterpolated($"{NetworkSpec.Format(compressed.Network.Options.Layers)}: {compressed.Network.ParameterCount:N0} parameters, {(double)compressed.Network.ParameterCount / source.Network.ParameterCount:P1} of the source model.");
            int epochs = parse.GetValue(fineTune);
            if (epochs > 0)
            {
                SpeechDataset dataset = CommonOptions.LoadDataset(parse.GetValue(data)!);
                var train = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Train));
                var dev = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Dev));
                var recipe = ExperimentPreset.Quick.Recipe with { BatchSize = TrainCommand.Positive(parse.GetValue(batch), "--batch") };
                float[] parameters = compressed.Parameters.ToArray();
                compressed = recipe.Train(compressed.Network, parameters, train, dev, epochs, recipe.LearningRate * 0.3f, null, default,
                    source, CommonOptions.RequireWeight(parse.GetValue(alpha))).Model;
                AnsiConsole.MarkupLineInterpolated($"Fine-tuned for {epochs} epoch(s).");
            }

            compressed.Save(parse.GetValue(output)!);
            AnsiConsole.MarkupLineInterpolated($"Saved {parse.GetValue(output)}.");
            return 0;
        });
        return command;
    }

    private static LstmModel Compress(LstmModel source, string to, RankRule rule) => to switch
    {
        "lowrank" => ModelCompressor.ToLowRank(source, rule),
        "lowrank-pergate" => ModelCompressor.ToLowRank(source, rule, perGate: true),
        "shared-lowrank" => ModelCompressor.ToSharedLowRank(source, rule),
        "toeplitz" => ModelCompressor.ToToeplitzLike(source, rule),
        _ => throw new CliException($"Unknown target kind '{to}'; use lowrank, lowrank-pergate, shared-lowrank, toeplitz or hybrid."),
    };

    // The hybrid has two ranks, so it takes them explicitly; its bottom half (rounded up) becomes Toeplitz-like, as in the experiment.
    private static LstmModel Hybrid(LstmModel source, int? sharedRank, int? displacementRank, int? toeplitzLayers, bool otherRuleGiven)
    {
        if (sharedRank is not { } k || displacementRank is not { } r || otherRuleGiven)
        {
            throw new CliException("--to hybrid takes --rank (shared rank K) and --displacement-rank (R), not --tau or --budget.");
        }

        int layers = source.Network.Layers.Count;
        try
        {
            return ModelCompressor.ToHybrid(source, r, k, toeplitzLayers ?? Math.Max(1, (layers + 1) / 2));
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw new CliException($"Cannot build the hybrid: {error.Message}");
        }
    }

    private static RankRule Rule(LstmModel source, string to, double? tau, int? rank, double? budget)
    {
        int given = (tau is null ? 0 : 1) + (rank is null ? 0 : 1) + (budget is null ? 0 : 1);
        if (given != 1)
        {
            throw new CliException("Give exactly one of --tau, --rank or --budget.");
        }

        if (tau is { } threshold)
        {
            return RankRule.ExplainedVariance(threshold);
        }

        if (rank is { } fixedRank)
        {
            return RankRule.Fixed(fixedRank);
        }

        double share = budget!.Value;
        if (!(share > 0 && share <= 1))
        {
            throw new CliException($"--budget must be in (0, 1] (got {share}).");
        }

        // The largest rank whose compressed model stays within the budget (counts grow with the rank): binary search.
        long target = (long)(share * source.Network.ParameterCount);
        int low = 1, high = 4096;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (Fits(source, to, middle, target))
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return RankRule.Fixed(low);
    }

    private static bool Fits(LstmModel source, string to, int rank, long target)
    {
        try
        {
            return Compress(source, to, RankRule.Fixed(rank)).Network.ParameterCount <= target;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // the rank exceeds what some matrix allows
        }
    }
}
