using System;
using System.CommandLine;
using System.IO;
using CompactRnn.Cli.Commands;
using CompactRnn.Training;
using Spectre.Console;

namespace CompactRnn.Cli;

/// <summary>The <c>compactrnn</c> command line.</summary>
internal static class Program
{
    internal static int Main(string[] args)
    {
        var root = new RootCommand("CompactRnn: compact LSTMs (low-rank, shared low-rank, Toeplitz-like) for speech, trained and scored by WER.")
        {
            ExperimentCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            InfoCommand.Create(),
            CompressCommand.Create(),
        };
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception error) when (error is CliException or InvalidDataException or FormatException or ArgumentException or IOException or TrainingDivergedException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            return 1;
        }
    }
}
