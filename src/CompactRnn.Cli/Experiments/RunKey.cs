using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// What a results folder was made from: the preset's configuration (sizes, recipe, seeds, budgets, the layout search's
/// settings) and the dataset's bytes, written to <c>run-key.txt</c>. A run resumes a folder (keeps its models, layout
/// search and rate choice) only when the keys match, so a changed dataset or preset can never mix an old search or old
/// models into new results. The key does not cover the code: a change of algorithm needs <c>--restart</c>.
/// </summary>
internal static class RunKey
{
    /// <summary>The key file's name inside a results folder.</summary>
    public const string FileName = "run-key.txt";

    // What a run writes into its folder and a resumed run reuses; notes.md (written by hand) is not among them.
    private static readonly string[] ArtefactFiles = ["results.csv", "curves.csv", "search.csv", "rate.csv"];
    private static readonly (string Folder, string Pattern)[] ArtefactFolders = [("models", "*.crnn"), ("scores", "*.tsv")];

    /// <summary>The key of <paramref name="preset"/> run on the dataset file <paramref name="datasetPath"/>.</summary>
    public static string Compute(ExperimentPreset preset, string datasetPath, string datasetDescription)
    {
        string sha256;
        using (FileStream stream = File.OpenRead(datasetPath))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        PlateauRecipe r = preset.Recipe;
        return string.Create(CultureInfo.InvariantCulture, $"""
            preset={preset.Name}
            data={datasetDescription.ReplaceLineEndings(" ")}
            data_sha256={sha256}
            model=layers {preset.Layers}, cells {preset.HiddenSize}, projection {preset.ProjectionSize}
            recipe=batch {r.BatchSize}, rate {r.LearningRate}, max epochs {r.MaxEpochs}, patience {r.Patience}, halve after {r.HalvingPatience}, clip {r.ClipNorm}, epoch utterances {r.EpochUtterances}{(r.LengthSortPool == 0 ? string.Empty : $", length-sorted pools of {r.LengthSortPool} batches")}, seed {r.Seed}, fine-tune scales {string.Join(' ', PlateauRecipe.FineTuneRateScales.Select(x => x.ToString(CultureInfo.InvariantCulture)))}
            seeds={preset.Seeds}{(preset.DenseLongSeeds == 1 ? string.Empty : $", dense-long {preset.DenseLongSeeds}")}
            budgets={Invariant(preset.Budgets)}
            scratch={string.Join(' ', preset.ScratchKinds.Select(k => k.Name()))}
            compressed={string.Join(' ', preset.CompressedKinds.Select(k => k.Name()))}
            search=short fit {preset.SearchUtterances} utterances, displacement ranks {string.Join(' ', BudgetPlanner.HybridDisplacementRanks)}, activation fit {preset.FitUtterances} utterances, {preset.SearchFitIterations} iterations
            compress=activation fit {preset.FitIterations} iterations

            """);
    }

    /// <summary>
    /// Makes <paramref name="folder"/> ready for a run with <paramref name="key"/>: with <paramref name="restart"/>, deletes
    /// the artefacts of an earlier run; otherwise refuses (naming the first differing line) when the folder holds
    /// artefacts of a run with another key, or of a run that recorded none (unless <paramref name="adopt"/>). Then writes the key.
    /// </summary>
    /// <exception cref="CliException">The folder holds another run's results and <paramref name="restart"/> is false.</exception>
    /// <param name="folder">The results folder.</param>
    /// <param name="key">This run's key.</param>
    /// <param name="restart">Delete the folder's artefacts first.</param>
    /// <param name="adopt">For a folder made before run keys existed (artefacts, no key file): take <paramref name="key"/> as
    /// its key and resume it. Only the person who knows the folder came from the same data and settings can say so; a
    /// rebuilt source model then shows whether it reproduces its recorded row.</param>
    public static void Prepare(string folder, string key, bool restart, bool adopt = false)
    {
        string path = Path.Combine(folder, FileName);
        if (restart)
        {
            DeleteArtefacts(folder);
        }
        else if (HasArtefacts(folder))
        {
            string? saved = File.Exists(path) ? File.ReadAllText(path) : null;
            if (saved is null && !adopt)
            {
                throw new CliException($"'{folder}' holds results of a run that recorded no {FileName}, so it cannot be resumed safely. "
                    + "Add --restart to discard them and start over, --report-only to re-report them as they are, or --adopt if they were made "
                    + "with this data and these settings before run keys existed.");
            }

            if (saved is not null && !string.Equals(saved.ReplaceLineEndings("\n"), key, StringComparison.Ordinal))
            {
                throw new CliException($"'{folder}' holds results of another run ({FirstDifference(saved, key)}). "
                    + "Add --restart to discard them and start over, or choose another --out.");
            }
        }

        Directory.CreateDirectory(folder);
        ResultsStore.WriteAtomically(path, key);
    }

    /// <summary>For <c>--report-only</c>: a warning when the folder's key is missing or differs, else null.</summary>
    public static string? Mismatch(string folder, string key)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return $"'{folder}' has no {FileName}: its results are reported as they are, without a check of their data and settings.";
        }

        string saved = File.ReadAllText(path);
        return string.Equals(saved.ReplaceLineEndings("\n"), key, StringComparison.Ordinal) ? null : $"'{folder}' was made by another run ({FirstDifference(saved, key)}).";
    }

    private static string Invariant(IEnumerable<double> values) => string.Join(' ', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private static bool HasArtefacts(string folder)
        => ArtefactFiles.Any(f => File.Exists(Path.Combine(folder, f)))
           || ArtefactFolders.Any(a => Directory.Exists(Path.Combine(folder, a.Folder)) && Directory.EnumerateFiles(Path.Combine(folder, a.Folder), a.Pattern).Any());

    private static void DeleteArtefacts(string folder)
    {
        foreach (string file in ArtefactFiles.Select(f => Path.Combine(folder, f)).Where(File.Exists))
        {
            File.Delete(file);
        }

        foreach ((string sub, string pattern) in ArtefactFolders)
        {
            string directory = Path.Combine(folder, sub);
            if (Directory.Exists(directory))
            {
                foreach (string file in Directory.EnumerateFiles(directory, pattern).ToList())
                {
                    File.Delete(file);
                }
            }
        }
    }

    private static string FirstDifference(string saved, string key)
    {
        string[] a = saved.ReplaceLineEndings("\n").Split('\n');
        string[] b = key.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string left = i < a.Length ? a[i] : "(nothing)";
            string right = i < b.Length ? b[i] : "(nothing)";
            if (!string.Equals(left, right, StringComparison.Ordinal))
            {
                return $"it has '{left}', this run '{right}'";
            }
        }

        return "the keys differ";
    }
}
