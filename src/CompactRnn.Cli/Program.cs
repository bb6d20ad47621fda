using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.IO;
using CompactRnn.Cli.Commands;
using CompactRnn.Training;
using Spectre.Console;

namespace CompactRnn.Cli;

/// <summary>The <c>compactrnn</c> command line.</summary>
internal static class Program
{
    /// <summary>The name help and usage lines show: the dotnet tool's command name.</summary>
    internal const string ProgramName = "compactrnn";

    private const int UnwrappedWidth = 100_000;

    internal static int Main(string[] args)
    {
        // A plain Command named like the installed tool, not a RootCommand: RootCommand takes its name from the
        // executable, so help under `dotnet run` would say "CompactRnn.Cli" (and "testhost" under a test runner).
        var root = new Command(ProgramName, "CompactRnn: compact LSTMs (low-rank, shared low-rank, Toeplitz-like) for speech, trained and scored by WER.")
        {
            new HelpOption(),
            new VersionOption(),
            ExperimentCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            InfoCommand.Create(),
            CompressCommand.Create(),
            ExportCommand.Create(),
            ImportCommand.Create(),
        };
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Piped or captured output: Spectre.Console would otherwise assume 80 columns and break lines,
            // names and paths included, mid-word. One logical line stays one line.
            AnsiConsole.Profile.Width = UnwrappedWidth;
        }

        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (AggregateException error) when (error.InnerExceptions.Count == 1 && IsUserFacing(error.InnerExceptions[0]))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {error.InnerExceptions[0].Message}");
            return 1;
        }
        catch (Exception error) when (IsUserFacing(error))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            return 1;
        }
    }

    private static bool IsUserFacing(Exception error)
        => error is CliException or InvalidDataException or FormatException or ArgumentException or IOException or TrainingDivergedException;
}
