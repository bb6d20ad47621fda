using System.CommandLine;
using CompactRnn.Compression;
using CompactRnn.Models;
using Spectre.Console;

namespace CompactRnn.Cli.Commands;

/// <summary><c>info</c>: a model's layers, kinds, parameter counts and bytes against the dense equivalent.</summary>
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
            AnsiConsole.MarkupLineInterpolated($"spec: {NetworkSpec.Format(network.Options.Layers)}; {network.Options.InputSize} inputs → {network.OutputSize} outputs ({network.Options.OutputMode})");
            System.Console.WriteLine(ParameterReport.Of(network).Format());
            AnsiConsole.MarkupLineInterpolated($"{network.ParameterCount:N0} parameters = {4L * network.ParameterCount:N0} bytes (float32); dense equivalent {network.DenseParameterCount:N0} = {4L * network.DenseParameterCount:N0} bytes; ratio {(double)network.ParameterCount / network.DenseParameterCount:P1}");
            return 0;
        });
        return command;
    }
}
