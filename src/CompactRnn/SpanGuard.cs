using System;

namespace CompactRnn;

/// <summary>The span-length checks of the public entry points, with one wording everywhere.</summary>
internal static class SpanGuard
{
    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="name"/> unless exactly <paramref name="expected"/> floats were passed.</summary>
    public static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Expected exactly {expected} floats but got {actual}.", name);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="name"/> unless at least <paramref name="expected"/> floats were passed.</summary>
    public static void RequireAtLeast(int actual, int expected, string name)
    {
        if (actual < expected)
        {
            throw new ArgumentException($"Expected at least {expected} floats but got {actual}.", name);
        }
    }
}
