using System;
using System.IO;
using System.Linq;

namespace CompactRnn.Tests;

/// <summary>The README's usage block is the code CI compiles and runs against the package.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void UsageBlock_IsTheConsumerProgramsReadmeRegion()
    {
        string root = FindRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string program = File.ReadAllText(Path.Combine(root, ".ci", "package-consumer", "Program.cs"));
        int start = readme.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        string block = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        int regionStart = program.IndexOf("// #region readme\n", StringComparison.Ordinal) + "// #region readme\n".Length;
        string region = program[regionStart..program.IndexOf("// #endregion", StringComparison.Ordinal)];
        Assert.Equal(Normalize(region), Normalize(block));
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
