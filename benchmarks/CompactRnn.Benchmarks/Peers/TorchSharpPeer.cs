using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// The TorchSharp training peer (benchmarks/CompactRnn.Benchmarks.TorchSharp) as a child process, asked for one
/// sample at a time so that its samples interleave with CompactRnn's in the same run. libtorch stays out of this
/// process (and out of the solution's restore); the peer must have been built first (see its README).
/// </summary>
internal sealed class TorchSharpPeer : IDisposable
{
    private const string AssemblyName = "CompactRnn.Benchmarks.TorchSharp";

    private readonly Process _process;

    private TorchSharpPeer(Process process) => _process = process;

    /// <summary>libtorch's version as the peer reports it.</summary>
    public string Version { get; private set; } = "";

    /// <summary>
    /// Starts the peer found at <c>COMPACTRNN_TORCHSHARP_PEER</c> (a path to its dll) or in the repository's
    /// artifacts folder; null with <paramref name="reason"/> when it is not built or libtorch does not load.
    /// </summary>
    public static TorchSharpPeer? TryStart(out string reason)
    {
        string? path = Environment.GetEnvironmentVariable("COMPACTRNN_TORCHSHARP_PEER") ?? FindBuilt();
        if (path is null || !File.Exists(path))
        {
            reason = $"not built (dotnet build benchmarks/{AssemblyName} -c Release)";
            return null;
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the TorchSharp peer.");
        var peer = new TorchSharpPeer(process);
        string answer = peer.Ask("hello");
        if (!answer.StartsWith("ok torch ", StringComparison.Ordinal))
        {
            peer.Dispose();
            reason = answer;
            return null;
        }

        reason = "";
        peer.Version = answer["ok torch ".Length..];
        return peer;
    }

    /// <summary>Mean microseconds per training step of <paramref name="caseName"/> over <paramref name="calls"/> steps.</summary>
    public double MeasureTraining(string caseName, int threads, int calls)
    {
        string answer = Ask(string.Create(CultureInfo.InvariantCulture, $"measure {caseName} {threads} {calls}"));
        string[] words = answer.Split(' ');
        if (words.Length < 2 || words[0] != "ok")
        {
            throw new InvalidOperationException($"TorchSharp peer: {answer}");
        }

        return double.Parse(words[1], CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.WaitForExit(10_000);
        }
        catch (IOException)
        {
            // The peer already exited; nothing to stop.
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }

    private string Ask(string command)
    {
        _process.StandardInput.WriteLine(command);
        return _process.StandardOutput.ReadLine() ?? "error the peer exited";
    }

    private static string? FindBuilt()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "artifacts", "bin", AssemblyName, "release", AssemblyName + ".dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
