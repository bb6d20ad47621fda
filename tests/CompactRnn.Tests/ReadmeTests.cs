using System;
using System.IO;
using System.Linq;

namespace CompactRnn.Tests;

/// <summary>The README's usage blocks are the code CI compiles and runs against the package (one region each in the consumer program).</summary>
public sealed class ReadmeTests
{
    [Theory]
    [InlineData("## Usage", "readme")]
    [InlineData("### Forward and gradients", "readme-gradients")]
    public void UsageBlock_IsTheConsumerProgramsRegion(string heading, string region)
    {
        string root = FindRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string program = File.ReadAllText(Path.Combine(root, ".ci", "package-consumer", "Program.cs"));
        int headingAt = readme.IndexOf("\n" + heading, StringComparison.Ordinal);
        Assert.True(headingAt >= 0, $"README.md has no heading '{heading}'.");
        int start = readme.IndexOf("```csharp\n", headingAt, StringComparison.Ordinal) + "```csharp\n".Length;
        string block = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        string open = "// #region " + region + "\n";
        int regionStart = program.IndexOf(open, StringComparison.Ordinal);
        Assert.True(regionStart >= 0, $"Program.cs has no region '{region}'.");
        regionStart += open.Length;
        string code = program[regionStart..program.IndexOf("// #endregion", regionStart, StringComparison.Ordinal)];
        Assert.Equal(Normalize(code), Normalize(block));
    }

    [Fact]
    public void InstallCommands_AreTheOnesCiRuns()
    {
        // Every dotnet command of the README's Install block, with its feed folder and version written as
        // .ci/run's variables, is a line of .ci/run; and the version is the one the repository packs.
        string root = FindRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string ci = File.ReadAllText(Path.Combine(root, ".ci", "run"));
        string props = File.ReadAllText(Path.Combine(root, "Directory.Build.props"));
        int versionStart = props.IndexOf("<Version>", StringComparison.Ordinal) + "<Version>".Length;
        string version = props[versionStart..props.IndexOf("</Version>", versionStart, StringComparison.Ordinal)];
        int section = readme.IndexOf("## Install\n", StringComparison.Ordinal);
        int start = readme.IndexOf("```sh\n", section, StringComparison.Ordinal) + "```sh\n".Length;
        string[] commands = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)]
            .Split('\n')
            .Select(l => l.Split('#')[0].Trim())
            .Where(l => l.StartsWith("dotnet ", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(6, commands.Length);
        Assert.Contains($"dotnet add package CompactRnn --version {version}", commands);
        Assert.Contains($"dotnet add package CompactRnn.Onnx --version {version}", commands);
        string[] ciLines = ci.Split('\n').Select(l => l.Trim()).ToArray();
        foreach (string command in commands)
        {
            string asInCi = command.Replace("\"$HOME/compactrnn-feed\"", "\"$feed\"", StringComparison.Ordinal)
                .Replace($"--version {version}", "--version \"$version\"", StringComparison.Ordinal);
            Assert.Contains(asInCi, ciLines);
        }
    }

    private static string Normalize(string text) => string.Join("\n", text.Split('\n').Select(l => l.TrimEnd())).Trim();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CompactRnn.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("CompactRnn.sln not found above the test directory.");
    }
}
