using System;
using System.Diagnostics;
using CompactRnn.Cli.Speech;
using CompactRnn.Models;

namespace CompactRnn.Cli.Experiments;

/// <summary>Median wall-clock time of one streaming step (batch 1, carried state) over real test frames.</summary>
internal static class StreamingTimer
{
    public static double MedianStepMicroseconds(LstmModel model, SpeechSequenceDataset frames, int rounds = 15, int stepsPerRound = 200)
    {
        StreamingSession session = model.CreateSession();
        float[] output = new float[session.OutputSize];
        ReadOnlySpan<float> source = frames.Features(0);
        int featureSize = frames.FeatureSize, available = source.Length / featureSize;
        for (int t = 0; t < stepsPerRound; t++)
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
