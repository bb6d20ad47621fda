using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Models;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Decoding;
using CompactRnn.Speech.Metrics;
using CompactRnn.Training;

namespace CompactRnn.Cli.Speech;

/// <summary>
/// Scores an acoustic model on a split: runs the network over utterances in minibatches, turns logits into
/// frame log-posteriors, decodes words with the digit-loop Viterbi decoder, and counts WER, sentence
/// errors, frame accuracy and phone errors.
/// </summary>
internal static class AcousticScorer
{
    private const int BatchSize = 32;

    /// <summary>Log-posteriors [frames, classes] of every utterance with float32 weights (what the experiments score with).</summary>
    public static float[][] LogPosteriors(LstmModel model, SpeechSequenceDataset data) => LogPosteriors(model, data, WeightPrecision.Float32);

    /// <summary>
    /// Log-posteriors [frames, classes] of every utterance with the weights stored at <paramref name="precision"/>, in
    /// batches (<see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, WeightPrecision, int)"/>):
    /// bf16 and int8 use the same packs as a streaming session of that precision and give each utterance that session's
    /// outputs (bit for bit for dense models).
    /// </summary>
    public static float[][] LogPosteriors(LstmModel model, SpeechSequenceDataset data, WeightPrecision precision)
    {
        int classes = model.Network.OutputSize, features = data.FeatureSize;
        var result = new float[data.Count][];

        // Batches of similar length: a batch runs for as many steps as its longest utterance, so random neighbours
        // would make about half the frames computed padding (docs/benchmarks.md). Stable, so the order is fixed.
        int[] order = [.. Enumerable.Range(0, data.Count).OrderBy(data.SequenceLength)];
        for (int start = 0; start < data.Count; start += BatchSize)
        {
            int batch = Math.Min(BatchSize, data.Count - start);
            int steps = 1;
            int[] lengths = new int[batch];
            for (int b = 0; b < batch; b++)
            {
                lengths[b] = data.SequenceLength(order[start + b]);
                steps = Math.Max(steps, lengths[b]);
            }

            float[] inputs = new float[steps * batch * features]; // time-major [T, B, F]
            for (int b = 0; b < batch; b++)
            {
                ReadOnlySpan<float> x = data.Features(order[start + b]);
                for (int t = 0; t < lengths[b]; t++)
                {
                    x.Slice(t * features, features).CopyTo(inputs.AsSpan(((t * batch) + b) * features, features));
                }
            }

            float[] logits = new float[steps * batch * classes];
            model.Infer(inputs, steps, batch, lengths, logits, precision);
            for (int b = 0; b < batch; b++)
            {
                float[] rows = new float[lengths[b] * classes];
                for (int t = 0; t < lengths[b]; t++)
                {
                    logits.AsSpan(((t * batch) + b) * classes, classes).CopyTo(rows.AsSpan(t * classes, classes));
                }

                SoftmaxFunctions.LogSoftmax(rows, classes, rows);
                result[order[start + b]] = rows;
            }
        }

        return result;
    }

    /// <summary>Decodes and scores precomputed log-posteriors.</summary>
    public static CompactRnn.Speech.Decoding.EvaluationResult Score(SpeechSequenceDataset data, IReadOnlyList<float[]> logPosteriors, DigitLoopDecoder decoder)
    {
        var wer = new WordErrorRate();
        long frames = 0, correct = 0;
        EditCounts phoneErrors = default;
        int classes = decoder.ClassCount;
        for (int i = 0; i < data.Count; i++)
        {
            Utterance utterance = data.Utterances[i];
            wer.Add(utterance.Words, decoder.Decode(logPosteriors[i], utterance.FrameCount));
            if (utterance.HasFrameLabels)
            {
                frames += utterance.FrameCount;
                correct += FrameMetrics.CountCorrectFrames(logPosteriors[i], utterance.FrameLabels, classes);
                phoneErrors += FrameMetrics.PhoneErrors(logPosteriors[i], utterance.FrameLabels, classes, data.Dataset.SilenceClass);
            }
        }

        return new CompactRnn.Speech.Decoding.EvaluationResult(wer.Totals, wer.Sentences, wer.SentenceErrors, frames, correct, phoneErrors);
    }
}
