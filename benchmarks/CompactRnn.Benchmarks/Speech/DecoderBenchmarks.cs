using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Decoding;

namespace CompactRnn.Benchmarks.Speech;

/// <summary>
/// The digit-loop Viterbi decoder on one core: decoding the test split of the embedded default set with
/// noisy label posteriors (the decoder's cost is O(frames · states) and does not depend on the model).
/// Run: <c>dotnet run -c Release --project benchmarks/CompactRnn.Benchmarks -- --filter '*DecoderBenchmarks*'</c>;
/// for a whole dataset's test split use <c>-- decode-time --data data/digits-full.crds</c> (<see cref="RunDecodeTime"/>).
/// </summary>
public class DecoderBenchmarks
{
    private DigitLoopDecoder _decoder = null!;
    private List<(float[] LogPosteriors, int Frames)> _inputs = [];

    /// <summary>Loads the default set and prepares the posteriors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        SpeechDataset dataset = SpeechDataset.Load(FindDefaultDataset());
        _decoder = DigitLoopDecoder.Create(dataset);
        _inputs = NoisyPosteriors(dataset, dataset.GetSplit(DatasetSplit.Test));
    }

    /// <summary>Decodes every test utterance once.</summary>
    [Benchmark]
    public int DecodeTestSplit()
    {
        int words = 0;
        foreach ((float[] logPosteriors, int frames) in _inputs)
        {
            words += _decoder.Decode(logPosteriors, frames).Length;
        }

        return words;
    }

    /// <summary>
    /// Times decoding of a dataset's whole test split on this thread (after one warm-up utterance) and prints
    /// utterances, reference words, frames, seconds and frames per second.
    /// </summary>
    public static int RunDecodeTime(string path)
    {
        SpeechDataset dataset = SpeechDataset.Load(path);
        IReadOnlyList<Utterance> test = dataset.GetSplit(DatasetSplit.Test);
        var inputs = NoisyPosteriors(dataset, test);
        var decoder = DigitLoopDecoder.Create(dataset);
        decoder.Decode(inputs[0].LogPosteriors, inputs[0].Frames);
        var clock = Stopwatch.StartNew();
        long hypothesisWords = 0;
        foreach ((float[] logPosteriors, int frames) in inputs)
        {
            hypothesisWords += decoder.Decode(logPosteriors, frames).Length;
        }

        clock.Stop();
        long frameTotal = inputs.Sum(i => (long)i.Frames);
        Console.WriteLine(FormattableString.Invariant(
            $"{path}: {test.Count} test utterances, {test.Sum(u => u.Words.Count)} reference words ({hypothesisWords} decoded), {frameTotal} frames, {decoder.StateCount} decoder states: {clock.Elapsed.TotalSeconds:F2} s on one thread ({frameTotal / clock.Elapsed.TotalSeconds:F0} frames/s)"));
        return 0;
    }

    /// <summary>Label posteriors blurred with seeded noise: 0.6 on the label, the rest spread at random.</summary>
    private static List<(float[] LogPosteriors, int Frames)> NoisyPosteriors(SpeechDataset dataset, IReadOnlyList<Utterance> utterances)
    {
        var random = new Random(1);
        int classes = dataset.ClassCount;
        var result = new List<(float[] LogPosteriors, int Frames)>(utterances.Count);
        foreach (Utterance u in utterances)
        {
            var logPosteriors = new float[u.FrameCount * classes];
            for (int t = 0; t < u.FrameCount; t++)
            {
                Span<float> row = logPosteriors.AsSpan(t * classes, classes);
                float sum = 0f;
                for (int c = 0; c < classes; c++)
                {
                    row[c] = (float)random.NextDouble();
                    sum += row[c];
                }

                for (int c = 0; c < classes; c++)
                {
                    row[c] = MathF.Log((0.4f * row[c] / sum) + (c == u.FrameLabels[t] ? 0.6f : 0f));
                }
            }

            result.Add((logPosteriors, u.FrameCount));
        }

        return result;
    }

    private static string FindDefaultDataset()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "data", "digits-default.crds");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("data/digits-default.crds was not found above the benchmark's folder.");
    }
}
