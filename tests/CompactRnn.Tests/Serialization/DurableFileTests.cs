using System;
using System.IO;
using CompactRnn.Serialization;

namespace CompactRnn.Tests.Serialization;

/// <summary>Issue #13 defect 7: atomic durable writes clean up what a killed writer left behind.</summary>
public class DurableFileTests
{
    [Fact]
    public void ModelFileWrite_RemovesStaleTemporaryOfTheSameTarget()
    {
        using var directory = new TemporaryDirectory();
        string target = directory.File("model.crnn");
        string stale = directory.File($".model.crnn.{Guid.NewGuid():N}.tmp");
        string otherTarget = directory.File($".other.crnn.{Guid.NewGuid():N}.tmp");
        string notOurs = directory.File(".model.crnn.backup.tmp");
        foreach (string file in new[] { stale, otherTarget, notOurs })
        {
            File.WriteAllBytes(file, new byte[1000]); // what kill -9 during a save leaves
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-5));
        }

        ModelFile.Write(target, "Demo", "{}"u8, [1f, 2f]);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(otherTarget)); // another target's temporaries are not this save's business
        Assert.True(File.Exists(notOurs));     // only the writer's own name pattern is touched
        Assert.Equal([1f, 2f], ModelFile.Read(target).Parameters);
    }

    [Fact]
    public void Write_KeepsTemporaryHeldOpenByALiveWriter()
    {
        using var directory = new TemporaryDirectory();
        string target = directory.File("results.csv");
        string live = directory.File($".results.csv.{Guid.NewGuid():N}.tmp");
        using (var writer = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            File.SetLastWriteTimeUtc(live, DateTime.UtcNow.AddMinutes(-5));

            DurableFile.WriteAllText(target, "a,b\n");

            Assert.True(File.Exists(live));
        }

        Assert.Equal("a,b\n", File.ReadAllText(target));
    }

    [Fact]
    public void Write_FreshTemporary_IsNotTreatedAsStale()
    {
        using var directory = new TemporaryDirectory();
        string target = directory.File("summary.md");
        string fresh = directory.File($".summary.md.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(fresh, [1]);

        DurableFile.WriteAllText(target, "x");

        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public void WriteAllBytes_ReplacesAndLeavesNoTemporary()
    {
        using var directory = new TemporaryDirectory();
        string target = directory.File("data.bin");
        DurableFile.WriteAllBytes(target, [1, 2, 3]);

        DurableFile.WriteAllBytes(target, [4]);

        Assert.Equal([4], File.ReadAllBytes(target));
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void SyncDirectory_OfAnExistingDirectory_Succeeds()
    {
        using var directory = new TemporaryDirectory();

        DurableFile.SyncDirectory(directory.Path);
    }
}
