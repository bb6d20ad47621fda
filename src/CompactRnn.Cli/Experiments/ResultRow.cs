using System;
using System.Globalization;
using System.Linq;

namespace CompactRnn.Cli.Experiments;

/// <summary>One line of results.csv: a trained model, how it was trained, and how it scored.</summary>
/// <param name="Name">Row name, e.g. <c>hybrid-svd-25</c> or <c>dense-s2</c>.</param>
/// <param name="Kind">What the model is (its text in the file: <c>dense</c>, <c>dense-long</c>, a layout kind, or one with <c>-svd</c>).</param>
/// <param name="Spec">The layer spec.</param>
/// <param name="Seed">Seed of initialisation and shuffling (of the dense source for compressed rows).</param>
/// <param name="Params">Parameters of the whole network.</param>
/// <param name="ParamsRatio">Params over the dense baseline's.</param>
/// <param name="Bytes">Float32 bytes of the parameters.</param>
/// <param name="Wer">Test WER, %.</param>
/// <param name="WerCi">Bootstrap interval of <paramref name="Wer"/>.</param>
/// <param name="Reference">The dense row the gap is measured against.</param>
/// <param name="Gap">Wer − the reference's test WER, in points.</param>
/// <param name="GapCi">Paired-bootstrap interval of <paramref name="Gap"/>.</param>
/// <param name="DevWer">Dev WER, % (decoder tuned on dev).</param>
/// <param name="UnseenAccentWer">WER on the unseen-accent set, %, or NaN when the data has none.</param>
/// <param name="CrossSynthWer">WER on the cross-synthesiser set, %, or NaN when the data has none.</param>
/// <param name="FrameAccuracy">Test frame accuracy, %.</param>
/// <param name="Epochs">Epochs run (of the last training stage).</param>
/// <param name="BestEpoch">The epoch kept (0 = the starting point).</param>
/// <param name="Updates">Updates over the model's whole history (for compressed rows: the source's plus fine-tuning).</param>
/// <param name="TrainSeconds">Wall clock of the last training stage, under whatever load the machine had.</param>
/// <param name="StepMicroseconds">Median streaming step, µs, or NaN before it is measured.</param>
/// <param name="Substitutions">Test substitutions.</param>
/// <param name="Deletions">Test deletions.</param>
/// <param name="Insertions">Test insertions.</param>
/// <param name="SentenceErrorRate">Test sentence error rate, %.</param>
internal sealed record ResultRow(
    string Name, PlanKind Kind, string Spec, int Seed, long Params, double ParamsRatio, long Bytes, double Wer, Interval WerCi, string Reference, double Gap, Interval GapCi,
    double DevWer, double UnseenAccentWer, double CrossSynthWer, double FrameAccuracy, int Epochs, int BestEpoch, long Updates, double TrainSeconds, double StepMicroseconds,
    int Substitutions, int Deletions, int Insertions, double SentenceErrorRate)
{
    private static readonly string[] Columns =
    [
        "name", "kind", "params", "params_ratio", "bytes", "wer", "wer_ci_low", "wer_ci_high", "gap", "gap_ci_low", "gap_ci_high", "dev_wer", "unseen_accent_wer",
        "cross_synth_wer", "frame_acc", "epochs", "updates", "train_seconds", "step_us", "best_epoch", "reference", "seed", "sub", "del", "ins", "ser", "spec",
    ];

    public static string Header => string.Join(',', Columns);

    public string ToCsv()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return string.Join(',', new[]
        {
            Name, Kind.ToString(), Params.ToString(c), ParamsRatio.ToString("F4", c), Bytes.ToString(c), F(Wer), F(WerCi.Low), F(WerCi.High), F(Gap), F(GapCi.Low), F(GapCi.High),
            F(DevWer), F(UnseenAccentWer), F(CrossSynthWer), F(FrameAccuracy), Epochs.ToString(c), Updates.ToString(c), TrainSeconds.ToString("F1", c),
            StepMicroseconds.ToString("F1", c), BestEpoch.ToString(c), Reference, Seed.ToString(c), Substitutions.ToString(c), Deletions.ToString(c),
            Insertions.ToString(c), F(SentenceErrorRate), $"\"{Spec}\"",
        });
    }

    /// <summary>
    /// What a model scored, as results.csv holds it (rates to 4 decimals, error counts, epochs): equal for a model
    /// rebuilt from its seed exactly when it reproduces the recorded row. Times and intervals are left out.
    /// </summary>
    public string ScoreFields()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return string.Join(',', F(Wer), F(DevWer), F(UnseenAccentWer), F(CrossSynthWer), F(FrameAccuracy), F(SentenceErrorRate),
            Substitutions.ToString(c), Deletions.ToString(c), Insertions.ToString(c), Epochs.ToString(c), BestEpoch.ToString(c), Updates.ToString(c));
    }

    public static ResultRow Parse(string line)
    {
        int quote = line.IndexOf('"', StringComparison.Ordinal);
        if (quote < 0 || !line.EndsWith('"'))
        {
            throw new FormatException($"Cannot read results row '{line}'.");
        }

        string[] fields = line[..quote].TrimEnd(',').Split(',');
        if (fields.Length != Columns.Length - 1)
        {
            throw new FormatException($"Results row has {fields.Length + 1} fields, expected {Columns.Length}: '{line}'.");
        }

        var f = Columns.Zip(fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        CultureInfo c = CultureInfo.InvariantCulture;
        double D(string key) => f[key].Length == 0 ? double.NaN : double.Parse(f[key], c);
        int I(string key) => int.Parse(f[key], c);
        return new ResultRow(f["name"], PlanKind.Parse(f["kind"]), line[(quote + 1)..^1], I("seed"), long.Parse(f["params"], c), D("params_ratio"), long.Parse(f["bytes"], c),
            D("wer"), new Interval(D("wer_ci_low"), D("wer_ci_high")), f["reference"], D("gap"), new Interval(D("gap_ci_low"), D("gap_ci_high")), D("dev_wer"),
            D("unseen_accent_wer"), D("cross_synth_wer"), D("frame_acc"), I("epochs"), I("best_epoch"), long.Parse(f["updates"], c), D("train_seconds"),
            D("step_us"), I("sub"), I("del"), I("ins"), D("ser"));
    }

    /// <summary>Whether this row is one of the dense references (a seed of <c>dense</c>, or <c>dense-long</c>).</summary>
    public bool IsDense => Kind.IsDense;

    // Empty for a value that does not exist (no interval, no such set), so a reader never mistakes it for a number.
    private static string F(double value) => double.IsNaN(value) ? string.Empty : value.ToString("F4", CultureInfo.InvariantCulture);
}
