using System;
using System.IO;

namespace CompactRnn.Cli.Tests;

public sealed class CommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Info_MissingModel_PrintsMessageAndExitsNonZero()
    {
        var (code, output) = CliRunner.Run("info", "--model", Path.Combine(_directory, "absent.crnn"));
        Assert.Equal(1, code);
        Assert.Contains("File not found", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // a message, not a stack trace
    }

    [Fact]
    public void Train_BadSpec_PrintsTheParserMessage()
    {
        var (code, output) = CliRunner.Run("train", "--spec", "magic:k=3 x1", "--out", Path.Combine(_directory, "m.crnn"));
        Assert.Equal(1, code);
        Assert.Contains("Unknown layer kind 'magic'", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_CorruptModel_NamesTheProblem()
    {
        string path = Path.Combine(_directory, "junk.crnn");
        File.WriteAllText(path, "this is not a model");
        var (code, output) = CliRunner.Run("eval", "--model", path);
        Assert.Equal(1, code);
        Assert.Contains("junk.crnn", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_UnknownPrecision_NamesTheOptionAndValue()
    {
        var (code, output) = CliRunner.Run("eval", "--model", Path.Combine(_directory, "absent.crnn"), "--precision", "fp8");
        Assert.Equal(1, code);
        Assert.Contains("--precision must be float32, bf16 or int8 (got 'fp8')", System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "), StringComparison.Ordinal);
    }

    [Fact]
    public void TrainInfoEvalCompress_TinyModel_RunEndToEnd()
    {
        string data = CliRunner.RepositoryFile("data/digits-default.crds");
        string model = Path.Combine(_directory, "tiny.crnn");
        var (code, output) = CliRunner.Run("train", "--spec", "dense x1", "--hidden", "8", "--projection", "0", "--epochs", "1", "--data", data, "--out", model);
        Assert.True(code == 0, output);
        Assert.True(File.Exists(model));

        (code, output) = CliRunner.Run("info", "--model", model);
        Assert.True(code == 0, output);
        Assert.Contains("dense equivalent", output, StringComparison.Ordinal);

        string hyp = Path.Combine(_directory, "hyp.tsv");
        (code, output) = CliRunner.Run("eval", "--model", model, "--data", data, "--split", "test", "--hyp", hyp, "--compare-hyp", hyp);
        Assert.True(code == 0, output);
        Assert.Contains("WER", output, StringComparison.Ordinal);
        Assert.Contains("95% CI", output, StringComparison.Ordinal);
        Assert.Contains("accent en-us:", output, StringComparison.Ordinal);
        Assert.Contains("paired:", output, StringComparison.Ordinal);
        Assert.Contains("normalised as the model's training features", System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "), StringComparison.Ordinal);
        Assert.DoesNotContain("excludes 0", output, StringComparison.Ordinal); // a model compared with its own table
        Assert.Equal(171, File.ReadAllLines(hyp).Length); // header + 170 test utterances

        // int8 weights: the same split run in batches on the streaming packs, decoder tuned on dev at that precision.
        (code, output) = CliRunner.Run("eval", "--model", model, "--data", data, "--split", "test", "--precision", "int8");
        Assert.True(code == 0, output);
        string int8 = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");
        Assert.Contains("weights: int8 (batch inference on the streaming packs", int8, StringComparison.Ordinal);
        Assert.Contains("tuned on 100 dev utterances at this precision", int8, StringComparison.Ordinal);
        Assert.Contains("WER", int8, StringComparison.Ordinal);

        // An evaluation-only set (no training split, like an import): priors, lexicon and tuning come from the reference.
        var full = CompactRnn.Speech.Data.SpeechDataset.Load(data);
        var testOnly = new CompactRnn.Speech.Data.SpeechDataset(full.Phones, full.StatesPerPhone, full.Lexicon, full.Quantizer, full.Normalization,
            full.GetSplit(CompactRnn.Speech.Data.DatasetSplit.Test), "evaluation only");
        string evalOnly = Path.Combine(_directory, "eval-only.crds");
        testOnly.Save(evalOnly);
        (code, output) = CliRunner.Run("eval", "--model", model, "--data", evalOnly, "--split", "all", "--reference", data);
        Assert.True(code == 0, output);
        string flat = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "); // the console wraps long lines
        Assert.Contains("come from the reference", flat, StringComparison.Ordinal);
        Assert.Contains("tuned on 100 dev", flat, StringComparison.Ordinal);

        // The same set normalised otherwise: the model file knows what it was trained with and eval says so.
        var shifted = new CompactRnn.Speech.Data.SpeechDataset(full.Phones, full.StatesPerPhone, full.Lexicon, full.Quantizer,
            CompactRnn.Speech.Data.NormalizationStatistics.Identity(full.FeatureDimension), full.GetSplit(CompactRnn.Speech.Data.DatasetSplit.Test), "other normalisation");
        string shiftedPath = Path.Combine(_directory, "shifted.crds");
        shifted.Save(shiftedPath);
        (code, output) = CliRunner.Run("eval", "--model", model, "--data", shiftedPath, "--split", "all", "--reference", data);
        Assert.True(code == 0, output);
        Assert.Contains("is normalised with other statistics", System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "), StringComparison.Ordinal);

        string compressed = Path.Combine(_directory, "tiny-lowrank.crnn");
        (code, output) = CliRunner.Run("compress", "--model", model, "--to", "lowrank", "--rank", "2", "--out", compressed);
        Assert.True(code == 0, output);
        Assert.True(File.Exists(compressed));
        Assert.Equal(CompactRnn.Serialization.ModelAnnotations.Read(model), CompactRnn.Serialization.ModelAnnotations.Read(compressed)); // the training normalisation travels

        (code, output) = CliRunner.Run("compress", "--model", model, "--to", "lowrank", "--out", compressed);
        Assert.Equal(1, code);
        Assert.Contains("exactly one of --tau, --rank or --budget", output, StringComparison.Ordinal);
    }
}
