using System;
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
    /// <summary>
    /// Test WER against the share of the dense parameters, seed-1 rows, one series per kind, with the bootstrap interval
    /// as error bars; dense and the paper's tolerance (dense + <see cref="BarVerdict.Tolerance"/>) as reference lines. The y axis shows the band from
    /// the best interval to a few times the dense WER, so a collapsed row does not flatten the rest (it is named in the title).
    /// </summary>
    public static void WerVersusParameters(IReadOnlyList<ResultRow> rows, string path)
    {
        var plot = new Plot();
        plot.Add.Palette = new ScottPlot.Palettes.Category20(); // enough distinct colours for every kind and both reference lines
        var shown = rows.Where(r => r.Seed == 1).ToList();
        ResultRow? dense = shown.FirstOrDefault(r => r.Name == "dense");
        foreach (var group in shown.GroupBy(r => r.Kind).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
        {
            var points = group.OrderBy(r => r.ParamsRatio).ToArray();
            double[] xs = points.Select(r => 100 * r.ParamsRatio).ToArray(), ys = points.Select(r => r.Wer).ToArray();
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = group.Key.ToString();
            scatter.MarkerSize = 8;
            scatter.LineWidth = 0;
            if (points.All(r => r.WerCi.IsKnown))
            {
                var bars = plot.Add.ErrorBar(xs, ys, points.Select(r => r.WerCi.High - r.Wer).ToArray());
                bars.YErrorNegative = points.Select(r => r.Wer - r.WerCi.Low).ToArray();
                bars.Color = scatter.Color;
            }
        }

        string clipped = string.Empty;
        if (dense is not null)
        {
            var line = plot.Add.HorizontalLine(dense.Wer);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"dense ({dense.Params:N0} params)");
            line.LinePattern = LinePattern.Dashed;
            var bar = plot.Add.HorizontalLine(dense.Wer + BarVerdict.Tolerance);
            bar.LegendText = string.Create(CultureInfo.InvariantCulture, $"dense + {BarVerdict.Tolerance} (the paper's bar)");
            bar.LinePattern = LinePattern.Dotted;
            double low = shown.Min(r => r.WerCi.IsKnown ? r.WerCi.Low : r.Wer);
            double ceiling = (3 * dense.Wer) + 2;
            double high = Math.Min(ceiling, shown.Max(r => r.WerCi.IsKnown ? r.WerCi.High : r.Wer));
            plot.Axes.SetLimitsY(Math.Max(0, low - 0.5), high + 0.5);
            var off = shown.Where(r => r.Wer > high + 0.5).Select(r => r.Name).ToList();
            clipped = off.Count == 0 ? string.Empty : $" (off the scale: {string.Join(", ", off)})";
        }

        plot.Axes.SetLimitsX(Math.Max(0, (100 * shown.Min(r => r.ParamsRatio)) - 5), 105);
        plot.Title((shown.All(r => r.WerCi.IsKnown) ? "Test WER vs parameters, 95 % bootstrap intervals" : "Test WER vs parameters (no intervals computed)") + clipped);
        plot.XLabel("parameters, % of the dense LSTMP");
        plot.YLabel("word error rate, %");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 650);
    }

    /// <summary>Dev loss per epoch (epoch 0 = the starting point) of every seed-1 row, as recorded in curves.csv.</summary>
    public static void TrainingCurves(string curvesCsv, IReadOnlyList<ResultRow> rows, string path)
    {
        var plot = new Plot();
        plot.Add.Palette = new ScottPlot.Palettes.Category20(); // one colour per row
        var shown = rows.Where(r => r.Seed == 1).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var curves = File.ReadAllLines(curvesCsv).Skip(1).Select(l => l.Split(','))
            .Where(f => f.Length >= 4 && shown.Contains(f[0]) && f[3].Length > 0)
            .GroupBy(f => f[0]).OrderBy(g => g.Key, StringComparer.Ordinal);
        double top = 0;
        foreach (var curve in curves)
        {
            double[] epochs = curve.Select(f => double.Parse(f[1], CultureInfo.InvariantCulture)).ToArray();
            double[] loss = curve.Select(f => double.Parse(f[3], CultureInfo.InvariantCulture)).ToArray();
            var scatter = plot.Add.Scatter(epochs, loss);
            scatter.LegendText = curve.Key;
            top = Math.Max(top, loss.Skip(1).DefaultIfEmpty(loss[0]).Max());
        }

        if (top > 0)
        {
            plot.Axes.SetLimitsY(0, top * 1.15); // from-scratch starting points (≈ ln of the class count) would flatten the curves
        }

        plot.Title("Dev cross-entropy per epoch (0 = start: initialisation, or the compressed model before fine-tuning)");
        plot.XLabel("epoch of this model's own training");
        plot.YLabel("dev loss (nats per frame)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 650);
    }
}
