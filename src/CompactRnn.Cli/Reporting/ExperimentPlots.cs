using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CompactRnn.Cli.Experiments;
using ScottPlot;

namespace CompactRnn.Cli.Reporting;

/// <summary>The two figures of a comparison, drawn headless with ScottPlot.</summary>
internal static class ExperimentPlots
{
    /// <summary>Test WER against the share of the dense parameters, one series per kind, dense as a reference line.</summary>
    public static void WerVersusParameters(IReadOnlyList<ResultRow> rows, string path)
    {
        var plot = new Plot();
        ResultRow? dense = rows.FirstOrDefault(r => r.Kind == "dense");
        foreach (var group in rows.Where(r => r.Kind != "dense").GroupBy(r => r.Kind).OrderBy(g => g.Key, System.StringComparer.Ordinal))
        {
            var points = group.OrderBy(r => r.ParamsRatio).ToArray();
            var scatter = plot.Add.Scatter(points.Select(r => 100 * r.ParamsRatio).ToArray(), points.Select(r => r.Wer).ToArray());
            scatter.LegendText = group.Key;
            scatter.MarkerSize = 7;
        }

        if (dense is not null)
        {
            var line = plot.Add.HorizontalLine(dense.Wer);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"dense ({dense.Params:N0} params)");
            line.LinePattern = LinePattern.Dashed;
        }

        plot.Title("Test WER vs parameters (held-out speakers)");
        plot.XLabel("parameters, % of the dense LSTMP");
        plot.YLabel("word error rate, %");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 600);
    }

    /// <summary>Dev loss per epoch for the dense model and every model near a quarter of its parameters.</summary>
    public static void TrainingCurves(string curvesCsv, IReadOnlyList<ResultRow> rows, string path)
    {
        var plot = new Plot();
        var shown = rows.Where(r => r.Kind == "dense" || r.Name.EndsWith("-25", System.StringComparison.Ordinal)).Select(r => r.Name).ToHashSet();
        var curves = File.ReadAllLines(curvesCsv).Skip(1).Select(l => l.Split(','))
            .Where(f => f.Length >= 4 && shown.Contains(f[0]) && f[3].Length > 0)
            .GroupBy(f => f[0]);
        foreach (var curve in curves)
        {
            double[] epochs = curve.Select(f => double.Parse(f[1], CultureInfo.InvariantCulture)).ToArray();
            double[] loss = curve.Select(f => double.Parse(f[3], CultureInfo.InvariantCulture)).ToArray();
            var scatter = plot.Add.Scatter(epochs, loss);
            scatter.LegendText = curve.Key;
        }

        plot.Title("Dev cross-entropy per epoch (dense and the 25% budget)");
        plot.XLabel("epoch");
        plot.YLabel("dev loss (nats per frame)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 600);
    }
}
