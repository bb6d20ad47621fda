using System.Collections.Generic;
using System.Globalization;
using CompactRnn.Cli.Experiments;
using Spectre.Console;

namespace CompactRnn.Cli.Reporting;

/// <summary>The results as a console table.</summary>
internal static class ResultsTable
{
    public static void Print(IReadOnlyList<ResultRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string column in new[] { "name", "kind", "params", "% dense", "test WER %", "gap", "dev WER %", "epochs", "train s", "step µs" })
        {
            table.AddColumn(column);
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        foreach (ResultRow r in SummaryWriter.Ordered(rows))
        {
            table.AddRow(r.Name, r.Kind.ToString(), r.Params.ToString("N0", c), (100 * r.ParamsRatio).ToString("F1", c), r.Wer.ToString("F2", c),
                double.IsNaN(r.Gap) ? "—" : SignedPoints.Format(r.Gap), r.DevWer.ToString("F2", c), r.Epochs.ToString(c), r.TrainSeconds.ToString("F0", c),
                r.StepMicroseconds.ToString("F0", c));
        }

        AnsiConsole.Write(table);
    }
}
