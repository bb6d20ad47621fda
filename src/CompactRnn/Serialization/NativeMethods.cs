using System.Runtime.InteropServices;

namespace CompactRnn.Serialization;

/// <summary>The three POSIX calls needed to sync a directory after a rename (Unix only).</summary>
internal static class NativeMethods
{
    /// <summary><c>open(2)</c>; <paramref name="path"/> is NUL-terminated UTF-8.</summary>
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int Open(byte[] path, int flags);

    /// <summary><c>fsync(2)</c>.</summary>
    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static extern int FSync(int descriptor);

    /// <summary><c>close(2)</c>.</summary>
    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int descriptor);
}
