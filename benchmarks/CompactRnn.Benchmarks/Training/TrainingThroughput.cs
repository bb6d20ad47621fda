using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using CompactRnn.Benchmarks.Peers;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Speech.Data;
using CompactRnn.Training;

namespace CompactRnn.Benchmarks.Training;

/// <summary>
/// <c>train-throughput [repetitions]</c>: training frames per second of the main job's models (the
/// <c>experiment --preset full</c> sizes: 3-layer LSTMP h192 p96, 40 inputs, 82 classes, batch 32, Adam,
/// clipping), dense and the 25 % hybrid, at 1 and 2 trainer threads. Each repetition is one epoch of
/// <see cref="UpdatesPerRepetition"/> updates over random sequences of <see cref="Frames"/> frames (the full
/// set's mean utterance is about 193 frames); the CSV gives the median and the range over repetitions, after
/// one untimed warm-up epoch. The cases run interleaved (one repetition of every case per round), so a load
/// change on the shared machine hits every case alike.
/// </summary>
internal static class TrainingThroughput
{
    /// <summary>The full preset's frame classes (its dataset's ClassCount).</summary>
    public const int Classes = 82;

    /// <summary>Frames per training sequence.</summary>
    public const int Frames = 200;

    /// <summary>The full preset's minibatch.</summary>
    public const int Batch = 32;

    /// <summary>Updates timed per repetition.</summary>
    public const int UpdatesPerRepetition = 3;

    /// <summary>The dense model of the full preset.</summary>
    public const string DenseSpec = "dense:h=192,p=96 x3";

    /// <summary>The full preset's hybrid-25 row (Toeplitz-like bottom layers, narrow top projection).</summary>
    public const string HybridSpec = "toeplitz:r=4,h=192,p=26 x1 | shared-lowrank:h=192,k=26 x2";

    /// <summary>Sequences of the length cases: 50 minibatches, one sort pool of the full preset.</summary>
    public const int LengthCaseSequences = 50 * Batch;

    /// <summary>The full preset's sort pool (<see cref="TrainerOptions.LengthSortPool"/>, in minibatches).</summary>
    public const int SortPool = 50;

    /// <summary>The cases: (name, spec, trainer threads, whether the sequences have the data file's lengths, sort pool).</summary>
    public static readonly (string Name, string Spec, int Threads, bool RealLengths, int Pool)[] Cases =
    [
        ("train_full_dense_1t", DenseSpec, 1, false, 0),
        ("train_full_dense_2t", DenseSpec, 2, false, 0),
        ("train_full_hybrid25_1t", HybridSpec, 1, false, 0),
        ("train_full_hybrid25_2t", HybridSpec, 2, false, 0),
        ("train_full_dense_lengths_random_1t", DenseSpec, 1, true, 0),
        ("train_full_dense_lengths_sorted_1t", DenseSpec, 1, true, SortPool),
        ("train_full_hybrid25_lengths_random_1t", HybridSpec, 1, true, 0),
        ("train_full_hybrid25_lengths_sorted_1t", HybridSpec, 1, true, SortPool),
    ];

    /// <summary>
    /// <c>train-throughput [repetitions] [case filter] [--lengths-from FILE]</c>. With a dataset file, the <c>lengths</c>
    /// cases train on <see cref="LengthCaseSequences"/> sequences whose lengths are drawn (seeded) from its training
    /// split, with random minibatches and with length-sorted pools; frames/s counts the sequences' own frames, not padding.
    /// </summary>
    public static int Run(string[] args)
    {
        int at = Array.IndexOf(args, "--lengths-from");
        string? lengthsFrom = at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        string[] positional = at >= 0 ? [.. args[..at], .. args[Math.Min(args.Length, at + 2)..]] : args;
        int repetitions = positional.Length >= 1 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 5;
        string? only = positional.Length >= 2 ? positional[1] : null;
        int[]? lengths = lengthsFrom is null ? null : DrawLengths(lengthsFrom);
        var selected = Cases.Where(c => (only is null || c.Name.Contains(only, StringComparison.Ordinal)) && (!c.RealLengths || lengths is not null)).ToArray();
        if (lengths is null)
        {
            Console.WriteLine("# the lengths cases need --lengths-from FILE (a CorpusGen dataset); skipped");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {DateTime.UtcNow:u} {Environment.ProcessorCount} logical cores, {MachineDescription.Cpu()}; load average {LoadAverage()}; batch {Batch} x {Frames} frames, {UpdatesPerRepetition} updates per repetition (lengths cases: {LengthCaseSequences} sequences), median of {repetitions}"));
        var runners = selected.Select(c => new Runner(c.Spec, c.Threads, c.RealLengths ? lengths : null, c.Pool)).ToArray();
        foreach (Runner runner in runners)
        {
            runner.Epoch(); // warm-up: tiering, tapes, workers
        }

        var seconds = runners.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < repetitions; round++)
        {
            for (int k = 0; k < runners.Length; k++)
            {
                seconds[k].Add(runners[k].Epoch());
            }
        }

        Console.WriteLine("case,frames_per_second,min_fps,max_fps,ms_per_update,parameters");
        for (int k = 0; k < runners.Length; k++)
        {
            double frames = runners[k].Frames;
            double median = Median(seconds[k]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{selected[k].Name},{frames / median:F0},{frames / seconds[k].Max():F0},{frames / seconds[k].Min():F0},{median * 1000 / runners[k].Updates:F1},{runners[k].ParameterCount}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# load average after: {LoadAverage()}"));
        return 0;
    }

    // LengthCaseSequences training-utterance lengths of the file, drawn with a fixed seed.
    private static int[] DrawLengths(string path)
    {
        int[] all = [.. SpeechDataset.Load(path).GetSplit(DatasetSplit.Train).Select(u => u.FrameCount)];
        new Random(PeerCases.Seed).Shuffle(all);
        return all[..Math.Min(all.Length, LengthCaseSequences)];
    }

    /// <summary>The machine's 1/5/15-minute load averages (Linux), or "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (System.IO.IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>One model, its optimiser and its data, trained an epoch at a time.</summary>
    private sealed class Runner
    {
        private readonly BpttTrainer _trainer;
        private readonly RandomSequenceDataset _data;

        public Runner(string spec, int threads, int[]? lengths, int pool)
        {
            var network = new LstmNetwork(new LstmNetworkOptions
            {
                InputSize = PeerCases.InputSize,
                OutputSize = Classes,
                Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = 192, ProjectionSize = 96, Peepholes = true, CellClip = 50f }),
            });
            ParameterCount = network.ParameterCount;
            float[] parameters = new float[network.ParameterCount];
            network.Initialize(parameters, PeerCases.Seed);
            var optimizer = new AdamOptimizer(network.ParameterCount, new ConstantSchedule(1e-4f));
            _trainer = new BpttTrainer(network, parameters, optimizer, new TrainerOptions
            {
                Epochs = 1,
                BatchSize = Batch,
                ClipNorm = 5f,
                Seed = PeerCases.Seed,
                Threads = threads,
                LengthSortPool = pool,
            });
            _data = lengths is null
                ? new RandomSequenceDataset(Batch * UpdatesPerRepetition, TrainingThroughput.Frames, PeerCases.InputSize, Classes, PeerCases.Seed)
                : new RandomSequenceDataset(lengths, PeerCases.InputSize, Classes, PeerCases.Seed);
            Updates = (_data.Count + Batch - 1) / Batch;
        }

        public int ParameterCount { get; }

        /// <summary>Updates per epoch.</summary>
        public int Updates { get; }

        /// <summary>The data's own frames (padding not counted).</summary>
        public long Frames => _data.FrameCount;

        /// <summary>One epoch; returns its wall time in seconds.</summary>
        public double Epoch()
        {
            var clock = Stopwatch.StartNew();
            _trainer.Train(_data, validation: null);
            return clock.Elapsed.TotalSeconds;
        }
    }
}
