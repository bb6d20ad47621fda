using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace CompactRnn.Serialization;

/// <summary>
/// Durable, atomic file replacement, the one way CompactRnn writes files that must survive a crash:
/// the content goes to a temporary file <c>.&lt;name&gt;.&lt;32 hex digits&gt;.tmp</c> in the target's
/// directory, which is flushed to disk (<c>fsync</c>) and renamed over the target; then the directory
/// itself is synced, so after a power loss the directory holds the old file or the complete new one,
/// never a mix and never neither.
/// </summary>
/// <remarks>
/// A process killed mid-write leaves its temporary file behind. Every write first removes the stale
/// temporaries of the same target: those no live writer holds open (writers open their temporary file
/// with <see cref="FileShare.None"/>, which .NET enforces with an exclusive lock on every platform) and
/// that are at least <see cref="StaleAge"/> old (which covers the moment between a writer creating its
/// file and taking the lock). Directory syncing uses <c>open</c>/<c>fsync</c> on Unix; on Windows the
/// rename is journalled by NTFS and there is no directory handle to flush.
/// </remarks>
public static class DurableFile
{
    /// <summary>A temporary file younger than this is never treated as stale.</summary>
    public static readonly TimeSpan StaleAge = TimeSpan.FromSeconds(2);

    private const int InvalidArgument = 22; // EINVAL on Linux and macOS

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> durably and atomically.</summary>
    /// <param name="path">The file to create or replace; its directory is created when missing.</param>
    /// <param name="contents">The complete new content.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> contents)
    {
        using var file = new DurableFileTransaction(path);
        file.Stream.Write(contents);
        file.Commit();
    }

    /// <summary>Writes <paramref name="contents"/> as UTF-8 without a byte-order mark, durably and atomically.</summary>
    /// <param name="path">The file to create or replace; its directory is created when missing.</param>
    /// <param name="contents">The complete new text.</param>
    public static void WriteAllText(string path, string contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        WriteAllBytes(path, new UTF8Encoding(false).GetBytes(contents));
    }

    /// <summary>The file-name prefix of every temporary file of <paramref name="fullPath"/>.</summary>
    internal static string TemporaryPrefix(string fullPath) => $".{System.IO.Path.GetFileName(fullPath)}.";

    /// <summary>Deletes temporary files of <paramref name="fullPath"/> left by writers that died.</summary>
    internal static void RemoveStaleTemporaries(string fullPath)
    {
        string directory = System.IO.Path.GetDirectoryName(fullPath)!;
        string prefix = TemporaryPrefix(fullPath);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (string candidate in Directory.EnumerateFiles(directory, prefix + "*.tmp"))
        {
            string middle = System.IO.Path.GetFileName(candidate)[prefix.Length..^".tmp".Length];
            if (middle.Length != 32 || !IsLowerHex(middle) || DateTime.UtcNow - File.GetLastWriteTimeUtc(candidate) < StaleAge)
            {
                continue; // not ours, or possibly a writer that has not taken its lock yet
            }

            try
            {
                // Opening with FileShare.None fails while a live writer holds the file; DeleteOnClose then removes it.
                using var probe = new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // In use by a live writer, or already gone: leave it.
            }
        }
    }

    /// <summary>Makes a completed rename in <paramref name="directory"/> durable (Unix <c>fsync</c> of the directory).</summary>
    internal static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        byte[] path = Encoding.UTF8.GetBytes(directory + "\0");
        int descriptor = NativeMethods.Open(path, 0 /* O_RDONLY */);
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (NativeMethods.FSync(descriptor) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != InvalidArgument)
                {
                    throw new IOException($"Cannot sync directory '{directory}' (errno {errno}).");
                }

                // EINVAL: this file system cannot sync a directory; its renames are as durable as it allows.
            }
        }
        finally
        {
            _ = NativeMethods.Close(descriptor);
        }
    }

    private static bool IsLowerHex(string text)
    {
        foreach (char c in text)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
