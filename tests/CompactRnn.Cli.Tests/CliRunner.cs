using System;
using System.IO;
using Spectre.Console;

namespace CompactRnn.Cli.Tests;

/// <summary>Runs the CLI in-process and captures what it prints.</summary>
internal static class CliRunner
{
    private static readonly object Gate = new();

    public static (int ExitCode, string Output) Run(params string[] args)
    {
        int exitCode = 0;
        string output = Captured(() => exitCode = Program.Main(args));
        return (exitCode, output);
    }

    /// <summary>
    /// Runs code that prints (the CLI, or an experiment class called directly) with the console captured, one caller
    /// at a time: the console is process-wide, so a test that printed while another one captured would leak its lines
    /// into that test's output.
    /// </summary>
    public static string Captured(Action run)
    {
        lock (Gate)
        {
            var writer = new StringWriter();
            IAnsiConsole previous = AnsiConsole.Console;
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            TextWriter previousOut = Console.Out;
            Console.SetOut(writer);
            try
            {
                run();
                return writer.ToString();
            }
            finally
            {
                Console.SetOut(previousOut);
                AnsiConsole.Console = previous;
            }
        }
    }

    public static string RepositoryFile(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }
}
