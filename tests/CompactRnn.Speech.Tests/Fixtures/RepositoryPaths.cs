using System;
using System.IO;

namespace CompactRnn.Speech.Tests.Fixtures;

/// <summary>Locates files of the repository from the test output directory.</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "CompactRnn.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"CompactRnn.sln not found above {AppContext.BaseDirectory}.");
        }
    }

    public static string DefaultDataset => Path.Combine(Root, "data", "digits-default.crds");
}
