using System;
using System.Globalization;

namespace CompactRnn.Cli.Experiments;

/// <summary>One line of results.csv.</summary>
internal sealed record ResultRow(
    string Name, string Kind, string Spec, long Params, double ParamsRatio, long Bytes, double Wer, int Substitutions, int Deletions,
    int Insertions, double SentenceErrorRate, double FrameAccuracy, double DevWer, double TrainSeconds, double StepMicroseconds, int Seed)
{
    public const string Header = "name,kind,params,params_ratio,wer,frame_acc,train_seconds,step_us,bytes,sub,del,ins,ser,dev_wer,seed,spec";

    public string ToCsv() => string.Create(CultureInfo.InvariantCulture,
        $"{Name},{Kind},{Params},{ParamsRatio:F4},{Wer:F4},{FrameAccuracy:F4},{TrainSeconds:F1},{StepMicroseconds:F1},{Bytes},{Substitutions},{Deletions},{Insertions},{SentenceErrorRate:F4},{DevWer:F4},{Seed},\"{Spec}\"");

    public static ResultRow Parse(string line)
    {
        int quote = line.IndexOf('"', StringComparison.Ordinal);
        if (quote < 0 || !line.EndsWith('"'))
        {
            throw new FormatException($"Cannot read results row '{line}'.");
        }

        string[] f = line[..quote].TrimEnd(',').Split(',');
        if (f.Length != 15)
        {
            throw new FormatException($"Results row has {f.Length + 1} fields, expected 16: '{line}'.");
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        return new ResultRow(f[0], f[1], line[(quote + 1)..^1], long.Parse(f[2], c), double.Parse(f[3], c), long.Parse(f[8], c), double.Parse(f[4], c),
            int.Parse(f[9], c), int.Parse(f[10], c), int.Parse(f[11], c), double.Parse(f[12], c), double.Parse(f[5], c), double.Parse(f[13], c),
            double.Parse(f[6], c), double.Parse(f[7], c), int.Parse(f[14], c));
    }
}
