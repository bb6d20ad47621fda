using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using CompactRnn.Cli.Speech;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Decoding;
using CompactRnn.Speech.Scoring;
using Spectre.Console;

namespace CompactRnn.Cli.Commands;

/// <summary>
/// <c>eval</c>: a model and a dataset in; WER with a speaker-block bootstrap interval, per-set and
/// per-accent WER, SER and frame accuracy out; optionally the per-utterance table (<c>--hyp</c>) and the
/// paired difference to another model's table (<c>--compare-hyp</c>). Decoder priors and lexicon come from
/// a training split and the decoder setting is tuned on the matching dev split: the evaluated dataset's
/// own when it has labelled training frames, otherwise the <c>--reference</c> dataset's (e.g. for an
/// imported WAV set), and the output says which.
/// </summary>
internal static class EvalCommand
{
    private static readonly DatasetSplit[] EvaluationSplits = [DatasetSplit.Test, DatasetSplit.TestAccent, DatasetSplit.CrossSynth];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model file (.crnn).", Required = true };
        var data = CommonOptions.Data();
        var split = new Option<string>("--split")
        {
            Description = "train, dev, test, test-accent, cross-synth, eval (test + test-accent + cross-synth), or all (e.g. an imported WAV set).",
            DefaultValueFactory = _ => "test",
        };
        var reference = new Option<string>("--reference")
        {
            Description = "Dataset whose training priors, lexicon and dev split are used when --data has no labelled training frames (an imported set). Default: the embedded data/digits-default.crds.",
            DefaultValueFactory = _ => "data/digits-default.crds",
        };
        var hyp = new Option<string?>("--hyp") { Description = "Write per-utterance id, set, speaker, accent, S/D/I/N, reference and hypothesis to this TSV file." };
        var compare = new Option<string?>("--compare-hyp") { Description = "A table written by --hyp for another model on the same utterances: print this model's WER minus that one's with a paired speaker-block interval." };
        var precisionOption = CommonOptions.Precision();
        var command = new Command("eval", "Decode a split with the digit-loop decoder and report WER with a 95% speaker-block bootstrap interval, per set and accent, SER and frame accuracy.")
        {
            model, data, split, reference, hyp, compare, precisionOption,
        };
        command.SetAction(parse =>
        {
            WeightPrecision precision = CommonOptions.ParsePrecision(parse.GetValue(precisionOption)!);
            LstmModel acoustic = LoadModel(parse.GetValue(model)!);
            SpeechDataset dataset = CommonOptions.LoadDataset(parse.GetValue(data)!);
            RequireShape(acoustic, dataset, "dataset");
            CheckNormalization(parse.GetValue(model)!, parse.GetValue(data)!, dataset);
            string which = parse.GetValue(split)!;
            IReadOnlyList<Utterance> utterances = Select(dataset, which);
            (SpeechDataset decoderSource, string sourceName) = DecoderSource(dataset, parse.GetValue(data)!, parse.GetValue(reference)!, acoustic);
            var target = new SpeechSequenceDataset(dataset, utterances);
            DecoderOptions options = TuneOnDev(decoderSource, acoustic, precision, which, out string tuning);
            var logPosteriors = AcousticScorer.LogPosteriors(acoustic, target, precision);
            var decoder = DigitLoopDecoder.Create(decoderSource, options);
            var result = AcousticScorer.Score(target, logPosteriors, decoder);
            ScoredUtterance[] scored = UtteranceScorer.Decode(utterances, logPosteriors, decoder);
            Report(which, target.Count, result, scored);
            AnsiConsole.MarkupLineInterpolated($"weights: {CommonOptions.PrecisionName(precision)} ({Describe(acoustic, precision)})");
            AnsiConsole.MarkupLineInterpolated($"decoder: acoustic scale {options.AcousticScale}, word-insertion penalty {options.WordInsertionPenalty} ({tuning}); priors and lexicon from the training split of {sourceName}");
            if (parse.GetValue(hyp) is { } hypPath)
            {
                HypothesisTable.Write(hypPath, scored);
                AnsiConsole.MarkupLineInterpolated($"per-utterance results: {hypPath}");
            }

            if (parse.GetValue(compare) is { } comparePath)
            {
                List<ScoredUtterance> other = ReadTable(comparePath);
                PairedDifference d = Paired(scored, other);
                AnsiConsole.MarkupLineInterpolated($"paired: this model {100 * d.WerA:F2}% − {comparePath} {100 * d.WerB:F2}% = {100 * d.Difference:+0.00;-0.00;0.00} points, 95% CI {100 * d.Lower:+0.00;-0.00;0.00} to {100 * d.Upper:+0.00;-0.00;0.00} over {d.Speakers} voices{(d.ExcludesZero ? " (excludes 0)" : string.Empty)}");
            }

            return 0;
        });
        return command;
    }

    internal static LstmModel LoadModel(string path)
    {
        try
        {
            return LstmModel.Load(CommonOptions.RequireFile(path));
        }
        catch (System.IO.InvalidDataException error)
        {
            throw new CliException(error.Message, error);
        }
    }

    /// <summary>Says whether the set's features are normalised as the model's training features were (recorded in the model file), and warns when not.</summary>
    private static void CheckNormalization(string modelPath, string dataPath, SpeechDataset dataset)
    {
        NormalizationStatistics? expected = FeatureNormalizationNote.Read(ModelAnnotations.Read(modelPath), modelPath);
        if (expected is null)
        {
            AnsiConsole.MarkupLineInterpolated($"features: {modelPath} does not record the normalisation it was trained with (saved before models recorded it, or imported); not checked");
        }
        else if (FeatureNormalizationNote.Same(expected, dataset.Normalization))
        {
            AnsiConsole.MarkupLineInterpolated($"features: normalised as the model's training features ({FeatureNormalizationNote.Describe(expected)})");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"warning: {dataPath} is normalised with other statistics ({FeatureNormalizationNote.Describe(dataset.Normalization)}) than {modelPath} was trained with ({FeatureNormalizationNote.Describe(expected)}): its inputs are shifted; import the set with --reference set to the model's training data");
        }
    }

    private static void RequireShape(LstmModel acoustic, SpeechDataset dataset, string what)
    {
        if (acoustic.Network.Options.InputSize != dataset.FeatureDimension || acoustic.Network.OutputSize != dataset.ClassCount)
        {
            throw new CliException($"The model maps {acoustic.Network.Options.InputSize} features to {acoustic.Network.OutputSize} classes; the {what} has {dataset.FeatureDimension} features and {dataset.ClassCount} classes.");
        }
    }

    private static IReadOnlyList<Utterance> Select(SpeechDataset dataset, string which)
    {
        IReadOnlyList<Utterance> utterances = which switch
        {
            "all" => dataset.Utterances,
            "eval" => [.. dataset.Utterances.Where(u => EvaluationSplits.Contains(u.Split))],
            _ => EvaluationSets.Parse(which) is { } s ? dataset.GetSplit(s)
                : throw new CliException($"Unknown split '{which}'; use {string.Join(", ", EvaluationSets.All.Select(x => x.Name))}, eval or all."),
        };
        return utterances.Count > 0 ? utterances : throw new CliException($"The dataset has no '{which}' utterances.");
    }

    /// <summary>The dataset whose training split gives priors and lexicon, and whose dev split tunes the decoder.</summary>
    private static (SpeechDataset Source, string Name) DecoderSource(SpeechDataset dataset, string dataPath, string referencePath, LstmModel acoustic)
    {
        if (DecoderInputs.FromTraining(dataset).HasTrainingFrames)
        {
            return (dataset, dataPath);
        }

        SpeechDataset reference = CommonOptions.LoadDataset(referencePath);
        RequireShape(acoustic, reference, "reference dataset");
        if (!reference.Phones.SequenceEqual(dataset.Phones) || reference.StatesPerPhone != dataset.StatesPerPhone)
        {
            throw new CliException($"The evaluated set's phone inventory differs from the reference '{referencePath}'; import it with --reference {referencePath}.");
        }

        if (!DecoderInputs.FromTraining(reference).HasTrainingFrames)
        {
            throw new CliException($"Neither the evaluated set nor the reference '{referencePath}' has labelled training frames for the decoder's priors.");
        }

        if (!reference.Normalization.Mean.SequenceEqual(dataset.Normalization.Mean) || !reference.Normalization.Deviation.SequenceEqual(dataset.Normalization.Deviation))
        {
            AnsiConsole.MarkupLineInterpolated($"warning: the evaluated set's feature normalisation differs from the reference {referencePath}'s training statistics (import it with --reference {referencePath}); a model trained on the reference sees shifted inputs");
        }

        AnsiConsole.MarkupLineInterpolated($"the evaluated set has no training split: priors, lexicon and decoder tuning come from the reference {referencePath}");
        return (reference, referencePath);
    }

    private static string Describe(LstmModel acoustic, WeightPrecision precision)
        => precision == WeightPrecision.Float32
            ? "batch inference"
            : $"batch inference on the streaming packs, {acoustic.WeightBytes(precision):N0} weight bytes against {acoustic.WeightBytes(WeightPrecision.Float32):N0} in float32";

    private static DecoderOptions TuneOnDev(SpeechDataset source, LstmModel acoustic, WeightPrecision precision, string which, out string tuning)
    {
        var devUtterances = source.GetSplit(DatasetSplit.Dev);
        if (devUtterances.Count == 0 || !devUtterances.All(u => u.HasFrameLabels))
        {
            tuning = "defaults: no labelled dev split to tune on";
            return new DecoderOptions();
        }

        if (which == "dev")
        {
            tuning = "defaults: not tuned on the split being scored";
            return new DecoderOptions();
        }

        var dev = new SpeechSequenceDataset(source, devUtterances);
        tuning = $"tuned on {devUtterances.Count} dev utterances at this precision";
        return DecoderTuning.Tune(source, dev, AcousticScorer.LogPosteriors(acoustic, dev, precision));
    }

    private static void Report(string which, int count, EvaluationResult result, ScoredUtterance[] scored)
    {
        WerEstimate all = BlockBootstrap.Wer(scored, which);
        AnsiConsole.MarkupLineInterpolated($"{which}: {count} utterances, WER {100 * result.WordErrorRate:F2}% (95% CI {100 * all.Lower:F2}–{100 * all.Upper:F2} over {all.Speakers} voices; S {result.WordErrors.Substitutions}, D {result.WordErrors.Deletions}, I {result.WordErrors.Insertions} of {result.WordErrors.ReferenceLength} words), SER {100 * result.SentenceErrorRate:F1}%");
        if (result.Frames > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"frame accuracy {100 * result.FrameAccuracy:F1}%, phone error rate {100 * result.PhoneErrorRate:F1}%");
        }

        IReadOnlyList<WerEstimate> sets = BlockBootstrap.ByGroup(scored, u => u.Set);
        foreach (WerEstimate group in sets.Count > 1 ? sets : [])
        {
            AnsiConsole.MarkupLineInterpolated($"  set {group.Name}: WER {100 * group.WordErrorRate:F2}% (95% CI {100 * group.Lower:F2}–{100 * group.Upper:F2}), {group.Words} words, {group.Speakers} voices");
        }

        foreach (WerEstimate group in BlockBootstrap.ByGroup(scored, u => u.Accent))
        {
            AnsiConsole.MarkupLineInterpolated($"  accent {group.Name}: WER {100 * group.WordErrorRate:F2}% (95% CI {100 * group.Lower:F2}–{100 * group.Upper:F2}), {group.Words} words, {group.Speakers} voices");
        }
    }

    private static List<ScoredUtterance> ReadTable(string path)
    {
        try
        {
            return HypothesisTable.Read(CommonOptions.RequireFile(path));
        }
        catch (System.IO.InvalidDataException error)
        {
            throw new CliException(error.Message, error);
        }
    }

    private static PairedDifference Paired(ScoredUtterance[] scored, List<ScoredUtterance> other)
    {
        try
        {
            return BlockBootstrap.Paired(scored, other);
        }
        catch (System.ArgumentException error)
        {
            throw new CliException($"--compare-hyp: {error.Message}", error);
        }
    }
}
