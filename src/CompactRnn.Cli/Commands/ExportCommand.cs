using System.CommandLine;
using System.IO;
using CompactRnn.Models;
using CompactRnn.Onnx;
using Spectre.Console;

namespace CompactRnn.Cli.Commands;

/// <summary><c>export --onnx OUT --model M.crnn</c>: the model as an ONNX graph for ONNX Runtime (see <see cref="OnnxExporter"/>).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model file (.crnn) to export.", Required = true };
        var onnx = new Option<string>("--onnx") { Description = "Output ONNX file (written atomically; its folder must exist).", Required = true };
        var command = new Command("export", "Export a model as ONNX (inputs x [T, B, features] and per-layer states; outputs y and the final states). Low-rank factors are kept; per-gate low-rank and Toeplitz-like matrices are written as their dense equivalents.")
        {
            model, onnx,
        };
        command.SetAction(parse =>
        {
            string output = CommonOptions.RequireOutputFile(parse.GetValue(onnx)!, "--onnx");
            string input = parse.GetValue(model)!;
            if (Path.GetFullPath(output) == Path.GetFullPath(input))
            {
                throw new CliException($"--onnx '{output}' is the --model file; choose another name.");
            }

            LstmModel loaded = EvalCommand.LoadModel(input);
            OnnxExporter.Save(loaded, output);
            LstmNetwork network = loaded.Network;
            AnsiConsole.MarkupLineInterpolated(
                $"wrote {output} ({new FileInfo(output).Length:N0} bytes): {NetworkSpec.Format(network.Options)}, {network.Options.InputSize} inputs → {network.OutputSize} outputs; inputs x [[T, B, {network.Options.InputSize}]] and r0/c0…; outputs y and r*_next/c*_next");
            return 0;
        });
        return command;
    }
}
