using System;
using System.Text.RegularExpressions;

namespace CompactRnn.Cli;

/// <summary>
/// Turns a library argument exception into a one-line CLI error that names the option the user typed
/// (the library names its own parameters, e.g. 'initialRate' or 'rank', which the user never saw).
/// </summary>
internal static partial class OptionErrors
{
    public static CliException For(string option, ArgumentException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string message = ParameterSuffix().Replace(error.Message, string.Empty);
        message = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return new CliException($"{option}: {message}", error);
    }

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();
}
