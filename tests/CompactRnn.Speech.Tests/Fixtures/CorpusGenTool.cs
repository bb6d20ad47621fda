using System;
using System.Diagnostics;
using System.IO;

namespace CompactRnn.Speech.Tests.Fixtures;

/// <summary>Runs the CompactRnn.CorpusGen command-line tool (copied next to the tests) in a child process.</summary>
internal static class CorpusGenTool
{
    public static (int ExitCode, string Output, string Errors) Run(params string[] arguments)
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "CompactRnn.CorpusGen.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(tool);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("CompactRnn.CorpusGen did not finish within 2 minutes.");
        }

        return (process.ExitCode, output, errors.Result);
    }
}
