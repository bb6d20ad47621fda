using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace CompactRnn.Tests.Architecture;

/// <summary>
/// The core library's folders (one namespace each) form the directed acyclic graph drawn in README's
/// Layout section: kernels → gate matrices → layers → models → serialization / training, with compression
/// and interop on top. The graph is read from the sources' <c>using</c> lines, so an edge appears exactly
/// when a file imports another folder's namespace; inline qualified names, which would hide an edge from
/// that reading, are rejected.
/// </summary>
public sealed partial class FolderGraphTests
{
    /// <summary>Each folder and the folders it may use. "" is the root namespace (guards shared by all).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        [""] = [],
        ["Threading"] = [],
        ["Parameters"] = [],
        ["Kernels"] = [],
        ["GateMatrices"] = ["Kernels", "Parameters"],
        ["Layers"] = ["GateMatrices", "Kernels", "Parameters"],
        ["Models"] = ["Layers", "GateMatrices", "Kernels", "Parameters"],
        ["Serialization"] = ["Models", "Layers", "GateMatrices"],
        ["Training"] = ["Models", "Serialization", "Layers", "Parameters", "Kernels", "Threading"],
        ["Compression"] = ["Models", "Layers", "GateMatrices", "Parameters", "Kernels"],
        ["Interop"] = ["Models", "Serialization", "Layers", "GateMatrices", "Parameters", "Kernels"],
    };

    [Fact]
    public void EveryFolder_IsANamespaceOfTheAllowedList()
    {
        foreach (SourceFile file in Sources())
        {
            Assert.True(Allowed.ContainsKey(file.Folder), $"{file.Path}: folder '{file.Folder}' is not in the allowed graph; add it with its edges.");
            Assert.True(file.Namespace == Qualified(file.Folder), $"{file.Path}: namespace '{file.Namespace}' does not mirror its folder '{file.Folder}'.");
        }
    }

    [Fact]
    public void Imports_FollowTheAllowedEdges()
    {
        var violations = new List<string>();
        foreach (SourceFile file in Sources())
        {
            foreach (string used in file.UsedFolders.Where(used => used != file.Folder && !Allowed[file.Folder].Contains(used)))
            {
                violations.Add($"{file.Path}: {Name(file.Folder)} → {Name(used)}");
            }
        }

        Assert.True(violations.Count == 0, "Edges outside the allowed graph:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void AllowedGraph_IsAcyclic()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the current path, 2 finished
        foreach (string folder in Allowed.Keys)
        {
            Visit(folder, state, []);
        }
    }

    [Fact]
    public void Sources_NameNoOtherFolderInline()
    {
        Dictionary<string, HashSet<string>> types = TypesByFolder();
        var violations = new List<string>();
        foreach (SourceFile file in Sources())
        {
            foreach (string line in file.Code.Split('\n').Where(line => !ImportOrNamespace().IsMatch(line)))
            {
                foreach (Match match in QualifiedName().Matches(line))
                {
                    string folder = match.Groups["folder"].Value;
                    if (folder != file.Folder && types.TryGetValue(folder, out HashSet<string>? names) && names.Contains(match.Groups["type"].Value))
                    {
                        violations.Add($"{file.Path}: {match.Value}");
                    }
                }
            }
        }

        Assert.True(violations.Count == 0, "Inline qualified names hide folder edges; import the namespace instead:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Reader_SeesAKnownEdge()
    {
        // Guards the test itself: if the parsing broke, the edge checks would pass vacuously.
        SourceFile layer = Sources().Single(file => file.Path.EndsWith("LstmLayer.cs", StringComparison.Ordinal));
        Assert.Contains("GateMatrices", layer.UsedFolders);
        Assert.True(Sources().Count() > 100);
    }

    private static void Visit(string folder, Dictionary<string, int> state, List<string> path)
    {
        if (state.TryGetValue(folder, out int mark))
        {
            Assert.True(mark == 2, "Cycle: " + string.Join(" → ", path.Append(folder).Select(Name)));
            return;
        }

        state[folder] = 1;
        path.Add(folder);
        foreach (string next in Allowed[folder])
        {
            Visit(next, state, path);
        }

        path.RemoveAt(path.Count - 1);
        state[folder] = 2;
    }

    private static Dictionary<string, HashSet<string>> TypesByFolder()
    {
        var types = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (SourceFile file in Sources())
        {
            if (!types.TryGetValue(file.Folder, out HashSet<string>? names))
            {
                types[file.Folder] = names = new HashSet<string>(StringComparer.Ordinal);
            }

            foreach (Match match in TypeDeclaration().Matches(file.Code))
            {
                names.Add(match.Groups["name"].Value);
            }
        }

        return types;
    }

    private static IEnumerable<SourceFile> Sources()
    {
        string root = Path.Combine(RepositoryRoot(), "src", "CompactRnn");
        foreach (string path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
            {
                continue;
            }

            string folder = relative.Contains('/', StringComparison.Ordinal) ? relative[..relative.IndexOf('/', StringComparison.Ordinal)] : "";
            string text = File.ReadAllText(path);
            string ns = NamespaceLine().Match(text).Groups["name"].Value;
            HashSet<string> used = [.. UsingLine().Matches(text).Select(match => match.Groups["folder"].Value)];
            yield return new SourceFile(relative, folder, ns, used, text);
        }
    }

    private static string Qualified(string folder) => folder.Length == 0 ? "CompactRnn" : "CompactRnn." + folder;

    private static string Name(string folder) => folder.Length == 0 ? "(root)" : folder;

    private static string RepositoryRoot()
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

    // using CompactRnn.X; using static CompactRnn.X.Y; using Alias = CompactRnn.X.Y; global using …
    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?CompactRnn\.(?<folder>\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"^namespace\s+(?<name>[\w.]+)\s*[;{]", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^\s*(?:global\s+)?(?:using|namespace)\s")]
    private static partial Regex ImportOrNamespace();

    // Folder.Type or CompactRnn.Folder.Type on any other line (doc comments included); a match is an
    // error only when Type is declared in Folder, so member accesses such as network.Layers.Count pass.
    [GeneratedRegex(@"\b(?:CompactRnn\.)?(?<folder>Kernels|GateMatrices|Layers|Models|Training|Serialization|Interop|Compression|Parameters|Threading)\.(?<type>[A-Z]\w*)")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    private sealed record SourceFile(string Path, string Folder, string Namespace, HashSet<string> UsedFolders, string Code);
}
