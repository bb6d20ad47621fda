using System.Collections.Generic;
using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using CompactRnn.Cli.Experiments;
using CompactRnn.Cli.Reporting;
using CompactRnn.Cli.Speech;
using CompactRnn.Compression;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Speech.Data;
using CompactRnn.Training;
using Spectre.Console;

namespace CompactRnn.Cli.Commands;

/// <summary><c>compress</c>: a trained model to low-rank, shared low-rank or Toeplitz-like, then optional fine-tuning.</summary>
internal static class CompressCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Trained model file (.crnn).", Required = true };
        var output = new Option<string>("--out") { Description = "Compressed model file to write.", Required = true };
        var kind = new Option<string>("--to") { Description = "lowrank, lowrank-pergate, shared-lowrank, toeplitz, hybrid (Toeplitz-like bottom layers, shared low-rank top layers), or auto (with --budget and --data: search the kinds and hybrid splits on dev).", Required = true };
        var tau = new Option<double?>("--tau") { Description = "Explained-variance threshold τ in (0, 1] for the rank (SVD)." };
        var rank = new Option<int?>("--rank") { Description = "Rank (or displacement rank for toeplitz), instead of --tau." };
        var displacement = new Option<int?>("--displacement-rank") { Description = "Hybrid only: displacement rank R of the Toeplitz-like bottom layers (--rank is the shared rank K)." };
        var bottom = new Option<int?>("--toeplitz-layers") { Description = "Hybrid only: how many bottom layers become Toeplitz-like (default: half the layers, rounded up)." };
        var budget = new Option<double?>("--budget") { Description = "Target share of the source model's parameters in (0, 1], instead of --tau/--rank." };
        var fineTune = new Option<int>("--fine-tune-epochs") { Description = "Epochs of fine-tuning on --data after compressing (0 = none).", DefaultValueFactory = _ => 0 };
        var data = CommonOptions.Data();
        var search = new Option<int>("--search-utterances") { Description = "auto only: training utterances of each candidate's short fit before it is scored on dev.", DefaultValueFactory = _ => 400 };
        var batch = new Option<int>("--batch") { Description = "Fine-tuning only: utterances per minibatch.", DefaultValueFactory = _ => 16 };
        var alpha = CommonOptions.DistillationWeight("Fine-tuning only: weight α of the source model's posteriors in each frame's target (knowledge distillation; 0 = labels only).", 0f);
        var seed = new Option<int>("--seed") { Description = "Fine-tuning only: seed of shuffling and dropout.", DefaultValueFactory = _ => 1 };
        var rate = new Option<float?>("--lr") { Description = $"Fine-tuning only: peak learning rate (default {DefaultFineTuneRate.ToString(CultureInfo.InvariantCulture)}, the experiment's fine-tuning rate)." };
        var allowOver = new Option<bool>("--allow-over") { Description = "With --budget: accept the smallest model of the kind when even it is above the budget (otherwise that is an error)." };
        var fitMethod = new Option<string?>("--fit") { Description = "toeplitz, hybrid and auto only: how the Toeplitz-like generators are fitted: activations (the default: least squares on the gate pre-activations over --fit-utterances training utterances of --data; best on dev, results/compress-fits), svd (truncated SVD of the displacement) or exact (the rank-⌊r/2⌋ truncated SVD embedded exactly). See docs/math.md §14." };
        var fitUtterances = new Option<int>("--fit-utterances") { Description = "--fit activations only: training utterances whose layer inputs the fit uses (evenly spaced over the training split).", DefaultValueFactory = _ => 300 };
        var fitIterations = new Option<int>("--fit-iterations") { Description = "--fit activations only: L-BFGS iterations per layer (with --to auto: of the chosen layout's final fit).", DefaultValueFactory = _ => ToeplitzFitOptions.Default.MaxIterations };
        var searchFitIterations = new Option<int>("--search-fit-iterations") { Description = "auto with --fit activations only: L-BFGS iterations per layer of each candidate's fit in the search (bounds its cost; the chosen layout is fitted again with --fit-iterations).", DefaultValueFactory = _ => LayoutFit.DefaultSearchIterations };
        var reportDev = new Option<bool>("--report-dev") { Description = "Print the dev loss and frame accuracy of the source and of the compressed model right after the fit, before any fine-tuning (needs --data)." };
        var command = new Command("compress", "Compress a trained model by truncated SVD (low-rank, shared projection with least-squares refit) or displacement SVD (Toeplitz-like); optionally fine-tune.")
        {
            model, output, kind, tau, rank, displacement, bottom, budget, fineTune, data, alpha, batch, search, seed, rate, allowOver, fitMethod, fitUtterances, fitIterations,
            searchFitIterations, reportDev,
        };
        command.SetAction(parse =>
        {
            // Checked before any SVD or fine-tuning: the output path, and that it does not overwrite the input.
            string inputPath = parse.GetValue(model)!;
            string outputPath = CommonOptions.RequireOutputFile(parse.GetValue(output)!, "--out");
            if (Path.GetFullPath(outputPath) == Path.GetFullPath(inputPath))
            {
                throw new CliException($"--out '{outputPath}' is the --model file; write the compressed model to another file.");
            }

            int epochs = TrainCommand.NonNegative(parse.GetValue(fineTune), "--fine-tune-epochs");
            int batchSize = TrainCommand.Positive(parse.GetValue(batch), "--batch");
            float weight = CommonOptions.RequireWeight(parse.GetValue(alpha));
            float learningRate = CommonOptions.RequireRate(parse.GetValue(rate) ?? DefaultFineTuneRate, "--lr");
            string to = parse.GetValue(kind)!;
            ToeplitzFit fitKind = ParseFit(parse.GetValue(fitMethod), to);
            int fitCount = TrainCommand.Positive(parse.GetValue(fitUtterances), "--fit-utterances");
            int iterations = TrainCommand.Positive(parse.GetValue(fitIterations), "--fit-iterations");
            int searchIterations = TrainCommand.Positive(parse.GetValue(searchFitIterations), "--search-fit-iterations");
            LstmModel source = EvalCommand.LoadModel(inputPath);
            var notes = new Dictionary<string, string>(ModelAnnotations.Read(inputPath), StringComparer.Ordinal); // the source's notes (its feature normalisation) still hold
            SpeechDataset? loaded = null;
            SpeechDataset Dataset() => loaded ??= CommonOptions.LoadDataset(parse.GetValue(data)!);
            LayoutFit Fit() => fitKind == ToeplitzFit.Activations ? ActivationFit(Dataset(), fitCount, iterations) : LayoutFit.WithoutData(fitKind);
            ToeplitzFitOptions Options(LayoutFit fit) => fit.Options(line => AnsiConsole.MarkupLineInterpolated($"activation fit on {fit.Utterances.Count} training utterances, {line}"));
            LstmModel compressed = to == "auto"
                ? Auto(source, parse.GetValue(budget), parse.GetValue(tau) is not null || parse.GetValue(rank) is not null, Dataset, Fit, Options,
                    TrainCommand.Positive(parse.GetValue(search), "--search-utterances"), TrainCommand.Positive(parse.GetValue(batch), "--batch"), searchIterations)
                : to == "hybrid"
                ? Hybrid(source, parse.GetValue(rank), parse.GetValue(displacement), parse.GetValue(bottom), parse.GetValue(tau) is not null || parse.GetValue(budget) is not null, Options(Fit()))
                : CompressWithRule(source, to, parse.GetValue(tau), parse.GetValue(rank), parse.GetValue(budget), parse.GetValue(allowOver), Options(Fit()));
            AnsiConsole.MarkupLineInterpolated($"{NetworkSpec.Format(compressed.Network.Options)}: {compressed.Network.ParameterCount:N0} parameters, {(double)compressed.Network.ParameterCount / source.Network.ParameterCount:P1} of the source model.");
            foreach (string line in LayerDescription.Lines(compressed.Network))
            {
                AnsiConsole.MarkupLineInterpolated($"  {line}");
            }

            if (parse.GetValue(reportDev))
            {
                ReportDev(Dataset(), source, compressed);
            }

            if (epochs > 0)
            {
                SpeechDataset dataset = Dataset();
                notes[FeatureNormalizationNote.Key] = FeatureNormalizationNote.For(dataset.Normalization).Value; // fine-tuned on this set's features
                var train = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Train));
                var dev = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Dev));
                var recipe = new TrainingRecipe(epochs, batchSize, learningRate, ChunkLength: 0, ClipNorm: 5f, Seed: parse.GetValue(seed));
                float[] parameters = compressed.Parameters.ToArray();
                LstmNetwork network = compressed.Network;
                compressed = TrainingDisplay.Run("fine-tuning", epochs,
                    progress => recipe.Train(network, parameters, train, dev, epochs, learningRate, progress, default, source, weight)).Model;
                AnsiConsole.MarkupLineInterpolated($"Fine-tuned for {epochs} epoch(s).");
            }

            ModelAnnotations.Save(compressed, outputPath, notes);
            AnsiConsole.MarkupLineInterpolated($"Saved {outputPath}.");
            return 0;
        });
        return command;
    }

    // The experiment's peak rate scaled down: fine-tuning starts from a fitted model, not from noise.
    private static float DefaultFineTuneRate => PlateauRecipe.DefaultLearningRate * PlateauRecipe.DefaultFineTuneRateScale;

    private static LstmModel CompressWithRule(LstmModel source, string to, double? tau, int? rank, double? budget, bool allowOver, ToeplitzFitOptions fit)
    {
        RankRule rule = Rule(source, to, tau, rank, budget, allowOver);
        try
        {
            return Compress(source, to, rule, fit);
        }
        catch (ArgumentException error) when (error is not ArgumentNullException)
        {
            throw OptionErrors.For(error.ParamName == "fit" ? "--fit" : tau is not null ? "--tau" : rank is not null ? "--rank" : "--budget", error);
        }
    }

    // The budget search compresses with the default fit (the parameter count does not depend on the fit); the chosen rank is then fitted with --fit.
    private static LstmModel Compress(LstmModel source, string to, RankRule rule, ToeplitzFitOptions? fit = null) => to switch
    {
        "lowrank" => ModelCompressor.ToLowRank(source, rule),
        "lowrank-pergate" => ModelCompressor.ToLowRank(source, rule, perGate: true),
        "shared-lowrank" => ModelCompressor.ToSharedLowRank(source, rule),
        "toeplitz" => ModelCompressor.ToToeplitzLike(source, rule, fit ?? ToeplitzFitOptions.Default),
        _ => throw new CliException($"Unknown target kind '{to}'; use lowrank, lowrank-pergate, shared-lowrank, toeplitz or hybrid."),
    };

    // Every kind and hybrid split within the budget, each fitted briefly (Toeplitz-like layers by --fit with --search-fit-iterations)
    // and ranked by dev loss; the best is compressed again with the full fit and returned (not yet fine-tuned).
    private static LstmModel Auto(LstmModel source, double? budget, bool otherRuleGiven, Func<SpeechDataset> dataset, Func<LayoutFit> fit,
        Func<LayoutFit, ToeplitzFitOptions> options, int searchUtterances, int batchSize, int searchIterations)
    {
        if (budget is not { } share || otherRuleGiven)
        {
            throw new CliException("--to auto takes --budget (a share of the source's parameters), not --tau or --rank.");
        }

        LayoutFit final = fit();
        if (final.Method == ToeplitzFit.Exact)
        {
            throw new CliException("--fit exact does not apply to --to auto: its rank-1 candidates would hold nothing (docs/math.md §14.1); use activations or svd.");
        }

        LayoutFit searched = final.WithIterations(searchIterations);
        if (searched.Method == ToeplitzFit.Activations)
        {
            AnsiConsole.MarkupLineInterpolated($"Search: Toeplitz-like layers by the activation fit on {searched.Utterances.Count} training utterances, {searched.Iterations} L-BFGS iterations per layer; then one epoch on {searchUtterances} training utterances.");
        }

        var ranked = AutoLayout.Rank(source, share, dataset(), searched, searchUtterances, batchSize, Math.Min(2, Environment.ProcessorCount),
            line => AnsiConsole.MarkupLineInterpolated($"  {line}"), default);
        var table = new Table().AddColumns("rank", "candidate", "params", "dev loss after compression", "dev loss after the short fit");
        for (int i = 0; i < ranked.Count; i++)
        {
            var r = ranked[i];
            table.AddRow((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(r.Candidate.Label), r.Params.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                r.DevLossBefore.ToString("F3", System.Globalization.CultureInfo.InvariantCulture), r.DevLossAfter.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"Chosen on dev: {ranked[0].Candidate.Label}.");
        LayoutCandidate chosen = ranked[0].Candidate;
        return chosen.Kind switch
        {
            LayoutKind.ToeplitzLike => ModelCompressor.ToToeplitzLike(source, RankRule.Fixed(chosen.DisplacementRank), options(final)),
            LayoutKind.Hybrid => ModelCompressor.ToHybrid(source, chosen.DisplacementRank, chosen.Rank, chosen.ToeplitzLayers, options(final)),
            _ => chosen.Compress(source, final),
        };
    }

    // The hybrid has two ranks, so it takes them explicitly; its bottom half (rounded up) becomes Toeplitz-like, as in the experiment.
    private static LstmModel Hybrid(LstmModel source, int? sharedRank, int? displacementRank, int? toeplitzLayers, bool otherRuleGiven, ToeplitzFitOptions fit)
    {
        if (sharedRank is not { } k || displacementRank is not { } r || otherRuleGiven)
        {
            throw new CliException("--to hybrid takes --rank (shared rank K) and --displacement-rank (R), not --tau or --budget.");
        }

        int layers = source.Network.Layers.Count;
        try
        {
            return ModelCompressor.ToHybrid(source, r, k, toeplitzLayers ?? Math.Max(1, (layers + 1) / 2), fit);
        }
        catch (ArgumentException error) when (error is not ArgumentNullException)
        {
            throw OptionErrors.For(error.ParamName == "fit" ? "--fit" : fit.Method == ToeplitzFit.Exact && error.ParamName == "displacementRank" ? "--fit exact/--displacement-rank" : "--rank/--displacement-rank/--toeplitz-layers", error);
        }
    }

    private static ToeplitzFit ParseFit(string? name, string to)
    {
        bool structured = to is "toeplitz" or "hybrid" or "auto";
        if (name is null)
        {
            // The activation fit keeps the most of the source's function right after compression (results/compress-fits).
            return structured ? ToeplitzFit.Activations : ToeplitzFit.DisplacementSvd;
        }

        if (!structured)
        {
            throw new CliException($"--fit applies to --to toeplitz, hybrid and auto only (got --to {to}).");
        }

        return name switch
        {
            "svd" => ToeplitzFit.DisplacementSvd,
            "exact" => ToeplitzFit.Exact,
            "activations" => ToeplitzFit.Activations,
            _ => throw new CliException($"--fit must be svd, exact or activations (got '{name}')."),
        };
    }

    // Evenly spaced over the training split, so the sample covers its voices whatever their order in the file.
    private static LayoutFit ActivationFit(SpeechDataset dataset, int count, int iterations)
    {
        var train = dataset.GetSplit(DatasetSplit.Train);
        if (train.Count == 0)
        {
            throw new CliException("--fit activations needs a training split in --data; it has none.");
        }

        return LayoutFit.Activations(dataset, train, count, iterations);
    }

    private static void ReportDev(SpeechDataset dataset, LstmModel source, LstmModel compressed)
    {
        var dev = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Dev));
        if (dev.Count == 0)
        {
            throw new CliException("--report-dev needs a dev split in --data; it has none.");
        }

        foreach ((string name, LstmModel model) in new[] { ("source", source), ("compressed, before fine-tuning", compressed) })
        {
            float[] parameters = model.Parameters.ToArray();
            var trainer = new BpttTrainer(model.Network, parameters, new AdamOptimizer(model.Network.ParameterCount, new ConstantSchedule(0f)), new TrainerOptions { Epochs = 1 });
            EvaluationResult result = trainer.Evaluate(dev);
            AnsiConsole.MarkupLineInterpolated(
                $"dev ({name}): loss {result.Loss.ToString("F4", CultureInfo.InvariantCulture)}, frame accuracy {(100 * result.Accuracy).ToString("F2", CultureInfo.InvariantCulture)}% over {result.Frames:N0} frames");
        }
    }

    private static RankRule Rule(LstmModel source, string to, double? tau, int? rank, double? budget, bool allowOver)
    {
        int given = (tau is null ? 0 : 1) + (rank is null ? 0 : 1) + (budget is null ? 0 : 1);
        if (given != 1)
        {
            throw new CliException("Give exactly one of --tau, --rank or --budget.");
        }

        if (tau is { } threshold)
        {
            return threshold > 0 && threshold <= 1 ? RankRule.ExplainedVariance(threshold)
                : throw new CliException($"--tau must be in (0, 1] (got {threshold.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (rank is { } fixedRank)
        {
            return RankRule.Fixed(TrainCommand.Positive(fixedRank, "--rank"));
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

        if (!Fits(source, to, low, target))
        {
            long smallest = Compress(source, to, RankRule.Fixed(low)).Network.ParameterCount;
            string reached = ((double)smallest / source.Network.ParameterCount).ToString("P1", CultureInfo.InvariantCulture);
            if (!allowOver)
            {
                throw new CliException(
                    $"--budget {share.ToString(CultureInfo.InvariantCulture)} is unreachable for --to {to}: its smallest model (rank {low}) has {smallest:N0} parameters, {reached} of the source. Raise --budget, or pass --allow-over to accept that model.");
            }

            AnsiConsole.MarkupLineInterpolated($"--budget {share.ToString(CultureInfo.InvariantCulture)} is unreachable for --to {to}; --allow-over: using its smallest model (rank {low}), {reached} of the source.");
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
