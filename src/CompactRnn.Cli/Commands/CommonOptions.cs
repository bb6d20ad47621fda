using System;
using System.CommandLine;
using System.IO;
using CompactRnn.Models;
using CompactRnn.Speech.Data;

namespace CompactRnn.Cli.Commands;

/// <summary>Options and helpers shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<string> Data(string? defaultPath = "data/digits-default.crds") => new("--data")
    {
        Description = "Speech dataset file (.crds). Default: the embedded data/digits-default.crds.",
        DefaultValueFactory = _ => defaultPath ?? string.Empty,
    };

    public static Option<int> Seed() => new("--seed") { Description = "Seed of initialisation, shuffling and dropout.", DefaultValueFactory = _ => 1 };

    public static Option<float> DistillationWeight(
        string description = "With --teacher: weight α of the teacher's posteriors in each frame's target (0 = labels only, 1 = teacher only).", float defaultWeight = 0.5f)
        => new("--alpha") { Description = description, DefaultValueFactory = _ => defaultWeight };

    /// <summary>A learning rate typed for <paramref name="option"/>: finite and positive.</summary>
    public static float RequireRate(float rate, string option)
        => float.IsFinite(rate) && rate > 0f ? rate : throw new CliException($"{option} must be a positive number (got {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");

    /// <summary>Training threads typed for <paramref name="option"/>: the trainer splits a minibatch over 1 or 2 cores.</summary>
    public static int RequireThreads(int threads, string option)
        => threads is 1 or 2 ? threads : throw new CliException($"{option} must be 1 or 2 (got {threads}).");

    /// <summary>
    /// <c>--precision</c>: how inference stores the weights it reads (<see cref="WeightPrecision"/>); text only here at the
    /// edge, the typed value inside.
    /// </summary>
    public static Option<string> Precision() => new("--precision")
    {
        Description = "Weight storage at inference: float32 (the batch path, exact), bf16 or int8 (the dense matrices rounded once, as a streaming session stores them; the same outputs as streaming; see WeightPrecision).",
        DefaultValueFactory = _ => "float32",
    };

    /// <summary>Parses <c>--precision</c>'s text: float32, bf16 or int8.</summary>
    public static WeightPrecision ParsePrecision(string name)
        => name switch
        {
            "float32" => WeightPrecision.Float32,
            "bf16" => WeightPrecision.BFloat16,
            "int8" => WeightPrecision.Int8,
            _ => throw new CliException($"--precision must be float32, bf16 or int8 (got '{name}')."),
        };

    /// <summary>The <c>--precision</c> text of <paramref name="precision"/>.</summary>
    public static string PrecisionName(WeightPrecision precision)
        => precision switch
        {
            WeightPrecision.BFloat16 => "bf16",
            WeightPrecision.Int8 => "int8",
            _ => "float32",
        };

    public static float RequireWeight(float weight)
        => weight >= 0f && weight <= 1f ? weight : throw new CliException($"--alpha must be in [0, 1] (got {weight}).");

    /// <summary>Loads a dataset, looking in the current folder and then above the program (the repository root).</summary>
    public static SpeechDataset LoadDataset(string path)
    {
        string resolved = Resolve(path);
        try
        {
            return SpeechDataset.Load(resolved);
        }
        catch (InvalidDataException error)
        {
            throw new CliException($"'{resolved}' is not a valid dataset: {error.Message}", error);
        }
    }

    /// <summary>Whether <see cref="Resolve"/> would find <paramref name="path"/>.</summary>
    public static bool CanResolve(string path)
    {
        try
        {
            Resolve(path);
            return true;
        }
        catch (CliException)
        {
            return false;
        }
    }

    public static string Resolve(string path)
    {
        if (File.Exists(path) || Path.IsPathRooted(path))
        {
            return RequireFile(path);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, path);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return RequireFile(path);
    }

    /// <summary>
    /// Checks, before any work, that <paramref name="path"/> can receive an output file: it is not a folder and its
    /// folder exists. The message names <paramref name="option"/>, the option the user typed.
    /// </summary>
    public static string RequireOutputFile(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliException($"{option} needs a file name.");
        }

        if (Directory.Exists(path))
        {
            throw new CliException($"{option} '{path}' is a folder; give a file name, e.g. {Path.Combine(path, "model.crnn")}.");
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null || !Directory.Exists(folder))
        {
            throw new CliException($"{option} '{path}': the folder '{folder}' does not exist; create it first.");
        }

        return path;
    }

    public static string RequireFile(string path)
        => File.Exists(path) ? path : throw new CliException($"File not found: '{path}'.");
}
