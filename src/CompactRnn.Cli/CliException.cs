using System;

namespace CompactRnn.Cli;

/// <summary>A problem the user can fix (a missing file, a bad spec, mismatched sizes): printed as a message, exit code 1.</summary>
internal sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
