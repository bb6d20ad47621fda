using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using CompactRnn.Benchmarks.Peers;
using CompactRnn.Layers;
using CompactRnn.Models;
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
    public const string HybridSpec = "toeplitz:r=1,h=192,p=96 x1 | toeplitz:r=1,h=192,p=44 x1 | dense:h=192,p=44 x1";

    /// <summary>The cases: (name, spec, trainer threads).</summary>
    public static readonly (string Name, string Spec, int Threads)[] Cases =
    [
        ("train_full_dense_1t", DenseSpec, 1),
        ("train_full_dense_2t", DenseSpec, 2),
        ("train_full_hybrid25_1t", HybridSpec, 1),
        ("train_full_hybrid25_2t", HybridSpec, 2),
    ];

    public static int Run(string[] args)
    {
        int repetitions = args.Length >= 1 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        string? only = args.Length >= 2 ? args[1] : null;
        var selected = Cases.Where(c => only is null || c.Name.Contains(only, StringComparison.Ordinal)).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {DateTime.UtcNow:u} {Environment.ProcessorCount} logical cores, {MachineDescription.Cpu()}; load average {LoadAverage()}; batch {Batch} x {Frames} frames, {UpdatesPerRepetition} updates per repetition, median of {repetitions}"));
        var runners = selected.Select(c => new Runner(c.Spec, c.Threads)).ToArray();
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
            double frames = (double)UpdatesPerRepetition * Batch * Frames;
            double median = Median(seconds[k]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{selected[k].Name},{frames / median:F0},{frames / seconds[k].Max():F0},{frames / seconds[k].Min():F0},{median * 1000 / UpdatesPerRepetition:F1},{runners[k].ParameterCount}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# load average after: {LoadAverage()}"));
        return 0;
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

        public Runner(string spec, int threads)
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
            });
            _data = new RandomSequenceDataset(Batch * UpdatesPerRepetition, Frames, PeerCases.InputSize, Classes, PeerCases.Seed);
        }

        public int ParameterCount { get; }

        /// <summary>One epoch (<see cref="UpdatesPerRepetition"/> updates); returns its wall time in seconds.</summary>
        public double Epoch()
        {
            var clock = Stopwatch.StartNew();
            _trainer.Train(_data, validation: null);
            return clock.Elapsed.TotalSeconds;
        }
    }
}
