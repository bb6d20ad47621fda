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
            return 0;
        });
        return command;
    }

    private static string Percent(long part, long whole) => (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + " %";
}
