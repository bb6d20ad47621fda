using System;
using System.Diagnostics;

namespace CompactRnn.CorpusGen.Cmu;

/// <summary>Runs festival or flite as a separate program (their licences stay out of this process) and reports failures clearly.</summary>
internal static class ExternalProgram
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>; returns standard output.</summary>
    /// <exception cref="InvalidOperationException">The program is missing, fails, or takes longer than <paramref name="timeout"/>.</exception>
    public static string Run(string program, TimeSpan timeout, string package, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"'{program}' was not found; install it (Debian: apt-get install {package}).", error);
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{program} took longer than {timeout.TotalSeconds:F0} s.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} failed with exit code {process.ExitCode}: {errors.Result.Trim()}");
            }

            return output;
        }
    }
}
