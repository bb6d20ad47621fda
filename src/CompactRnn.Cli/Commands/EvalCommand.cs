using System.CommandLine;
using System.Linq;
using CompactRnn.Cli.Speech;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Decoding;
using Spectre.Console;

namespace CompactRnn.Cli.Commands;

/// <summary><c>eval</c>: a model and a dataset in; WER, sentence error rate, frame accuracy out.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model file (.crnn).", Required = true };
        var data = CommonOptions.Data();
        var split = new Option<string>("--split") { Description = "train, dev, test, or all (e.g. an imported WAV set).", DefaultValueFactory = _ => "test" };
        var command = new Command("eval", "Decode a split with the digit-loop decoder and report WER (S/D/I), SER and frame accuracy.") { model, data, split };
        command.SetAction(parse =>
        {
            LstmModel acoustic = LoadModel(parse.GetValue(model)!);
            SpeechDataset dataset = CommonOptions.LoadDataset(parse.GetValue(data)!);
            if (acoustic.Network.Options.InputSize != dataset.FeatureDimension || acoustic.Network.OutputSize != dataset.ClassCount)
            {
                throw new CliException($"The model maps {acoustic.Network.Options.InputSize} features to {acoustic.Network.OutputSize} classes; the dataset has {dataset.FeatureDimension} features and {dataset.ClassCount} classes.");
            }

            string which = parse.GetValue(split)!;
            var utterances = which switch
            {
                "all" => dataset.Utterances,
                "train" => dataset.GetSplit(DatasetSplit.Train),
                "dev" => dataset.GetSplit(DatasetSplit.Dev),
                "test" => dataset.GetSplit(DatasetSplit.Test),
                _ => throw new CliException($"Unknown split '{which}'; use train, dev, test or all."),
            };
            if (utterances.Count == 0)
            {
                throw new CliException($"The dataset has no '{which}' utterances.");
            }

            var target = new SpeechSequenceDataset(dataset, utterances);
            var devUtterances = dataset.GetSplit(DatasetSplit.Dev);
            DecoderOptions options = new();
            if (devUtterances.Count > 0 && which != "dev" && devUtterances.All(u => u.HasFrameLabels))
            {
                var dev = new SpeechSequenceDataset(dataset, devUtterances);
                options = DecoderTuning.Tune(dataset, dev, AcousticScorer.LogPosteriors(acoustic, dev));
            }

            var result = AcousticScorer.Score(target, AcousticScorer.LogPosteriors(acoustic, target), DigitLoopDecoder.Create(dataset, options));
            AnsiConsole.MarkupLineInterpolated($"{which}: {target.Count} utterances, WER {100 * result.WordErrorRate:F2}% (S {result.WordErrors.Substitutions}, D {result.WordErrors.Deletions}, I {result.WordErrors.Insertions} of {result.WordErrors.ReferenceLength} words), SER {100 * result.SentenceErrorRate:F1}%");
            if (result.Frames > 0)
            {
                AnsiConsole.MarkupLineInterpolated($"frame accuracy {100 * result.FrameAccuracy:F1}%, phone error rate {100 * result.PhoneErrorRate:F1}%");
            }

            AnsiConsole.MarkupLineInterpolated($"decoder: acoustic scale {options.AcousticScale}, word-insertion penalty {options.WordInsertionPenalty}");
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
}
