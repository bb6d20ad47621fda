using System;
using System.IO;

namespace CompactRnn.Serialization;

/// <summary>
/// One atomic replacement in progress: write to <see cref="Stream"/>, then <see cref="Commit"/>.
/// Disposing without a commit deletes the temporary file and leaves the target untouched.
/// </summary>
internal sealed class DurableFileTransaction : IDisposable
{
    private readonly string _temporaryPath;
    private FileStream? _stream;

    /// <summary>Removes stale temporaries of the target and creates a new temporary file.</summary>
    public DurableFileTransaction(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Target = System.IO.Path.GetFullPath(path);
        string directory = System.IO.Path.GetDirectoryName(Target) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        Directory.CreateDirectory(directory);
        DurableFile.RemoveStaleTemporaries(Target);
        _temporaryPath = System.IO.Path.Combine(directory, $"{DurableFile.TemporaryPrefix(Target)}{Guid.NewGuid():N}.tmp");
        _stream = new FileStream(_temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
    }

    /// <summary>The full path of the file being replaced.</summary>
    public string Target { get; }

    /// <summary>The temporary file being written.</summary>
    public FileStream Stream => _stream ?? throw new ObjectDisposedException(nameof(DurableFileTransaction));

    /// <summary>Flushes the temporary file to disk, renames it over the target and syncs the directory.</summary>
    public void Commit()
    {
        FileStream stream = Stream;
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        _stream = null;
        File.Move(_temporaryPath, Target, overwrite: true);
        DurableFile.SyncDirectory(System.IO.Path.GetDirectoryName(Target)!);
    }

    /// <summary>Closes the file; deletes the temporary file unless <see cref="Commit"/> succeeded.</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
        if (File.Exists(_temporaryPath))
        {
            File.Delete(_temporaryPath); // never committed, or the rename failed
        }
    }
}
