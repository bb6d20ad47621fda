using System;
using System.Globalization;

namespace CompactRnn.Cli.Reporting;

/// <summary>WER differences in points with their sign, two decimals: <c>+0.33</c>, <c>-0.04</c>, <c>+0.00</c>.</summary>
internal static class SignedPoints
{
    /// <summary>
    /// Rounds first, so a value that rounds to zero prints as <c>+0.00</c> (the format string alone writes <c>-+0.00</c> for,
    /// say, −0.001: the negative section rounds it to zero and hands it to the positive one behind a minus sign).
    /// </summary>
    public static string Format(double value)
    {
        double rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        return (rounded == 0 ? 0 : rounded).ToString("+0.00;-0.00", CultureInfo.InvariantCulture);
    }
}
