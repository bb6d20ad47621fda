using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using CompactRnn.Cli.Reporting;
using CompactRnn.Compression;
using CompactRnn.Models;
using Spectre.Console;

namespace CompactRnn.Cli.Commands;

/// <summary><c>info</c>: a model's layers, kinds, parameter counts and bytes against the dense equivalent.</summary>
/// <remarks>Sizes are compared one way only, as "% of dense": compact parameters over the parameters of the same
/// sizes with every gate matrix dense (smaller is more compact), the same sense as the experiment's results.</remarks>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model file (.crnn).", Required = true };
        var command = new Command("info", "Show a model's layers, gate-matrix kinds, parameter counts and bytes vs the dense equivalent.") { model };
        command.SetAction(parse =>
        {
            LstmModel loaded = EvalCommand.LoadModel(parse.GetValue(model)!);
            LstmNetwork network = loaded.Network;
            AnsiConsole.MarkupLineInterpolated($"spec: {NetworkSpec.Format(network.Options)}; {network.Options.InputSize} inputs → {network.OutputSize} outputs ({network.Options.OutputMode})");
            foreach (string line in LayerDescription.Lines(network))
            {
                AnsiConsole.MarkupLineInterpolated($"  {line}");
            }

            ParameterReport report = ParameterReport.Of(network);
            CultureInfo c = CultureInfo.InvariantCulture;
            var table = new Table().AddColumns("layer", "n_in", "n_c", "n_r", "W_x", "W_r", "W_p", "params", "dense", "% of dense");
            foreach (LayerParameterCount layer in report.Layers)
            {
                table.AddRow(layer.Index.ToString(c), layer.InputSize.ToString(c), layer.HiddenSize.ToString(c), layer.OutputSize.ToString(c),
                    Markup.Escape(layer.InputKind), Markup.Escape(layer.RecurrentKind), Markup.Escape(layer.ProjectionKind),
                    layer.Parameters.ToString("N0", c), layer.DenseParameters.ToString("N0", c), Percent(layer.Parameters, layer.DenseParameters));
            }

            if (report.OutputLayerParameters > 0)
            {
                table.AddRow("output", string.Empty, string.Empty, string.Empty, "dense", string.Empty, string.Empty,
                    report.OutputLayerParameters.ToString("N0", c), report.OutputLayerParameters.ToString("N0", c), Percent(1, 1));
            }

            table.AddRow("total", string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty,
                report.Total.ToString("N0", c), report.DenseTotal.ToString("N0", c), Percent(report.Total, report.DenseTotal));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated(
                $"{network.ParameterCount:N0} parameters = {4L * network.ParameterCount:N0} bytes (float32), {Percent(network.ParameterCount, network.DenseParameterCount)} of the dense equivalent ({network.DenseParameterCount:N0} parameters = {4L * network.DenseParameterCount:N0} bytes).");
            long int8 = loaded.WeightBytes(WeightPrecision.Int8), denseFloat32 = 4L * network.DenseParameterCount;
            AnsiConsole.MarkupLineInterpolated(
                $"int8 weights (dense matrices, and compact ones whose int8 dense form is smaller than their float32 parameters, int8 with float32 row scales; the rest float32): {int8:N0} bytes = {Percent(int8, denseFloat32)} of the float32 bytes of the dense equivalent ({denseFloat32:N0}), {Percent(int8, 4L * network.ParameterCount)} of this model's float32 bytes.");
            AnsiConsole.Write(RuntimeTable(loaded));
            return 0;
        });
        return command;
    }

    /// <summary>Frames and sequences of the batch call whose buffers the batch row counts.</summary>
    internal const int BatchSteps = 100, BatchSequences = 32;

    /// <summary>
    /// Run-time bytes per inference path, read from what the model and a session really hold after one step (streaming)
    /// or one <see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, int)"/> call of <see cref="BatchSequences"/> × <see cref="BatchSteps"/> zero frames (batch).
    /// </summary>
    private static Table RuntimeTable(LstmModel model)
    {
        var rows = new List<(string Path, RuntimeMemory Memory)>();
        foreach (WeightPrecision precision in new[] { WeightPrecision.Float32, WeightPrecision.Int8 })
        {
            StreamingSession session = model.CreateSession(precision);
            session.Step(new float[model.Network.Options.InputSize], new float[session.OutputSize]);
            rows.Add(($"streaming, {(precision == WeightPrecision.Float32 ? "float32" : "int8")} weights", session.Memory));
        }

        int inputs = model.Network.Options.InputSize;
        long outputs = model.Network.OutputMatrix is not null && model.Network.Options.OutputMode != OutputMode.Frame
            ? (long)BatchSequences * model.Network.OutputSize
            : (long)BatchSteps * BatchSequences * model.Network.OutputSize;
        model.Infer(new float[BatchSteps * BatchSequences * inputs], BatchSteps, BatchSequences, [], new float[outputs]);
        rows.Add(($"batch (Infer, {BatchSequences} × {BatchSteps} frames)", model.BatchMemory));

        CultureInfo c = CultureInfo.InvariantCulture;
        var table = new Table { Title = new TableTitle("run-time bytes, read from the arrays held") }
            .AddColumns("path", "parameters", "cache", "dense forms", "tables, FFT plans", "packs", "state, scratch", "total", "× parameter bytes");
        foreach ((string path, RuntimeMemory m) in rows)
        {
            table.AddRow(Markup.Escape(path), m.ParameterBytes.ToString("N0", c), m.CacheBytes.ToString("N0", c), m.DenseFormBytes.ToString("N0", c),
                m.TableBytes.ToString("N0", c), m.PackBytes.ToString("N0", c), m.BufferBytes.ToString("N0", c), m.TotalBytes.ToString("N0", c),
                m.ParameterMultiple.ToString("F2", c));
        }

        return table;
    }

    private static string Percent(long part, long whole) => (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + " %";
}
