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
