using System;
using System.Diagnostics;
using CompactRnn.Cli.Speech;
using CompactRnn.Models;

namespace CompactRnn.Cli.Experiments;

/// <summary>Median wall-clock time of one streaming step (batch 1, carried state) over real test frames.</summary>
/// <remarks>
/// The warm-up runs for at least half a second, not a fixed number of steps. The runtime recompiles hot methods
/// (tiered compilation) only after a delay, so a short warm-up in a fresh process times first-tier code. This was
/// seen as 1.5–2× slower steps for the first models timed by <c>--report-only</c>.
/// </remarks>
internal static class StreamingTimer
{
    private const double WarmUpMilliseconds = 500;

    public static double MedianStepMicroseconds(LstmModel model, SpeechSequenceDataset frames, int rounds = 15, int stepsPerRound = 200)
    {
        StreamingSession session = model.CreateSession();
        float[] output = new float[session.OutputSize];
        ReadOnlySpan<float> source = frames.Features(0);
        int featureSize = frames.FeatureSize, available = source.Length / featureSize;
        long warmUpStart = Stopwatch.GetTimestamp();
        for (int t = 0; t < stepsPerRound || Stopwatch.GetElapsedTime(warmUpStart).TotalMilliseconds < WarmUpMilliseconds; t++)
        {
            session.Step(source.Slice(t % available * featureSize, featureSize), output); // warm-up
        }

        double[] perStep = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int t = 0; t < stepsPerRound; t++)
            {
                session.Step(source.Slice(t % available * featureSize, featureSize), output);
            }

            perStep[round] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / stepsPerRound;
        }

        Array.Sort(perStep);
        return perStep[rounds / 2];
    }
}
