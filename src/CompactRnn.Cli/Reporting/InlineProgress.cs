using System;

namespace CompactRnn.Cli.Reporting;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, in order. (<see cref="Progress{T}"/>
/// posts to the thread pool, so printed lines could arrive out of order or after the command's last line.)
/// </summary>
internal sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
