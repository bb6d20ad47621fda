using System;
using System.Globalization;
using CompactRnn.Cli.Experiments;
using CompactRnn.Training;
using Spectre.Console;

namespace CompactRnn.Cli.Reporting;

/// <summary>
/// Shows a training run: a live progress bar in a terminal; when the output is piped or captured, one plain
/// line per finished epoch (a bar redrawn into a file or a CI log is noise, and silence for minutes is worse).
/// </summary>
internal static class TrainingDisplay
{
    public static TrainingOutcome Run(string title, int epochs, Func<IProgress<TrainingProgress>, TrainingOutcome> train)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return train(new InlineProgress<TrainingProgress>(p =>
            {
                if (p.ValidationLoss is not null)
                {
                    AnsiConsole.WriteLine(Line(title, epochs, p));
                }
            }));
        }

        TrainingOutcome outcome = null!;
        AnsiConsole.Progress().Start(context =>
        {
            ProgressTask task = context.AddTask(title, maxValue: 1);
            outcome = train(new InlineProgress<TrainingProgress>(p =>
            {
                task.Value = Math.Min(1, (p.Epoch - 1 + p.EpochFraction) / epochs);
                task.Description = p.ValidationLoss is null
                    ? string.Create(CultureInfo.InvariantCulture, $"{title} epoch {p.Epoch}/{epochs}: loss {p.TrainLoss:F3}, {p.FramesPerSecond:N0} frames/s")
                    : Markup.Escape(Line(title, epochs, p));
            }));
        });
        return outcome;
    }

    /// <summary>"fine-tuning epoch 2/6: train loss 1.234, dev loss 1.111, dev frame acc 61.2 %, 12,345 frames/s, about 1 min 20 s left".</summary>
    internal static string Line(string title, int epochs, TrainingProgress p)
        => string.Create(CultureInfo.InvariantCulture,
            $"{title} epoch {p.Epoch}/{epochs}: train loss {p.TrainLoss:F3}, dev loss {p.ValidationLoss:F3}, dev frame acc {100 * p.ValidationAccuracy:F1} %, {p.FramesPerSecond:N0} frames/s, about {Duration(p.Remaining)} left");

    private static string Duration(TimeSpan span)
        => span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min")
            : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.Seconds)} s");
}
