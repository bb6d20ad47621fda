using System;
using System.Threading;
using System.Threading.Tasks;
using CompactRnn.Cli.Experiments;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Cli.Commands;

/// <summary><c>experiment --preset rank-sweep</c>: the options of <see cref="RankSweep"/>, checked, and the run.</summary>
internal static class RankSweepCommand
{
    public const string PresetName = "rank-sweep";

    /// <summary>The committed results folder (issue #11).</summary>
    public const string DefaultOutput = "results/rank-sweep";

    public static Task<int> Run(string? data, string? output, string? init, int seeds, int workers, int? maxEpochs, int? patience, int? halveAfter, string commit, CancellationToken cancellationToken)
    {
        GateMatrixInit scheme;
        try
        {
            scheme = init is null ? LstmLayerOptions.DefaultInit : NetworkSpec.ParseInit(init);
        }
        catch (ArgumentException error)
        {
            throw new CliException($"--init: {error.Message}");
        }

        if (seeds < 1 || workers < 1)
        {
            throw new CliException($"--seeds and --workers must be at least 1 (got {seeds} and {workers}).");
        }

        int? cap = maxEpochs is { } value ? TrainCommand.Positive(value, "--max-epochs") : null;
        int? stop = patience is { } given ? TrainCommand.Positive(given, "--patience") : null;
        int? halving = halveAfter is { } every ? TrainCommand.Positive(every, "--halve-after") : null;
        string dataPath = data ?? ExperimentPreset.Quick.DefaultData;
        string folder = output ?? DefaultOutput;
        string commandLine = $"nice -n 5 dotnet run -c Release --project src/CompactRnn.Cli -- experiment --preset {PresetName}"
            + (data is null ? string.Empty : $" --data {dataPath}") + (output is null ? string.Empty : $" --out {folder}")
            + (init is null ? string.Empty : $" --init {init}") + $" --seeds {seeds} --workers {workers}" + (cap is { } c ? $" --max-epochs {c}" : string.Empty)
            + (stop is { } p ? $" --patience {p}" : string.Empty) + (halving is { } h ? $" --halve-after {h}" : string.Empty);
        var sweep = new RankSweep(CommonOptions.LoadDataset(dataPath), folder, scheme, seeds, workers, cap, stop, halving);
        sweep.Execute(commandLine, commit, cancellationToken);
        return Task.FromResult(0);
    }
}
