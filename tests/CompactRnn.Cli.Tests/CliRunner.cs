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
        lock (Gate)
        {
            var writer = new StringWriter();
            IAnsiConsole previous = AnsiConsole.Console;
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            TextWriter previousOut = Console.Out;
            Console.SetOut(writer);
            try
            {
                int exitCode = Program.Main(args);
                return (exitCode, writer.ToString());
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
