using System.CommandLine;
using System.IO;
using CompactRnn.Interop;
using CompactRnn.Models;
using CompactRnn.Serialization;
using Spectre.Console;

namespace CompactRnn.Cli.Commands;

/// <summary>
/// <c>import --from STATE_DICT --out M.crnn</c>: a PyTorch <c>nn.LSTM</c> state dict (safetensors, or the JSON tensor
/// form) as a model file, through <see cref="PyTorchLstmImporter.ImportFile"/>; a file written by
/// <c>PyTorchLstmExporter</c> comes back as the compact model it was (its configuration travels in the metadata).
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "State dict to import: .safetensors (nn.LSTM names, optional output layer) or .json ({\"tensors\": …}).", Required = true };
        var output = new Option<string>("--out") { Description = "Model file to write (.crnn; written atomically, its folder must exist).", Required = true };
        var command = new Command("import", "Import a PyTorch nn.LSTM state dict (safetensors or JSON) as a model file; bidirectional, batch_first and unknown tensors are rejected by name.")
        {
            from, output,
        };
        command.SetAction(parse =>
        {
            string outputPath = CommonOptions.RequireOutputFile(parse.GetValue(output)!, "--out");
            string input = CommonOptions.RequireFile(parse.GetValue(from)!);
            if (Path.GetFullPath(outputPath) == Path.GetFullPath(input))
            {
                throw new CliException($"--out '{outputPath}' is the --from file; choose another name.");
            }

            (LstmNetwork network, float[] parameters) = PyTorchLstmImporter.ImportFile(input);
            new LstmModel(network, parameters).Save(outputPath);
            AnsiConsole.MarkupLineInterpolated(
                $"wrote {outputPath}: {NetworkSpec.Format(network.Options)}, {network.Options.InputSize} inputs → {network.OutputSize} outputs, {network.ParameterCount:N0} parameters");
            return 0;
        });
        return command;
    }
}
