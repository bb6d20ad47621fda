using System;
using System.Linq;
using CompactRnn.Models;

namespace CompactRnn.Training;

/// <content>Evaluation: loss and accuracy of the current parameters on a dataset.</content>
public sealed partial class BpttTrainer
{
    /// <summary>Mean cross-entropy and accuracy of the current parameters on a dataset (no dropout).</summary>
    public EvaluationResult Evaluate(ISequenceDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        RequireFeatures(data, nameof(data));
        _network.Prepare(Parameters, _cache);
        int longest = Enumerable.Range(0, data.Count).Max(data.SequenceLength);
        var batch = new Minibatch(longest, _options.BatchSize, data.FeatureSize);
        LstmNetworkTape tape = _network.CreateTape(longest, _options.BatchSize);
        float[] dLogits = new float[tape.Logits.Length];
        double lossSum = 0;
        long correct = 0, counted = 0;
        int classes = _network.OutputSize;
        int[] indices = Enumerable.Range(0, data.Count).ToArray();
        if (_options.LengthSortPool > 0)
        {
            // Batches of similar length compute little padding; the sums run in another order, nothing else changes.
            indices = [.. indices.OrderBy(data.SequenceLength)]; // stable: equal lengths keep their order
        }
        for (int start = 0; start < indices.Length; start += _options.BatchSize)
        {
            batch.Load(data, indices.AsSpan(start, Math.Min(_options.BatchSize, indices.Length - start)), _lastFrame);
            int steps = batch.Steps;
            tape.ResetState();
            _network.Forward(Parameters, _cache, batch.Features.AsSpan(0, steps * batch.BatchSize * data.FeatureSize), steps, batch.Lengths, tape, training: false);
            int rows = batch.Targets(_lastFrame, 0, steps, out ReadOnlySpan<int> targets, out ReadOnlySpan<float> mask);
            LossResult loss = SoftmaxCrossEntropy.Evaluate(tape.Logits[..(rows * classes)], classes, targets, mask, dLogits.AsSpan(0, rows * classes), 0f, 1f);
            lossSum += loss.Sum;
            counted += loss.Count;
            for (int row = 0; row < rows; row++)
            {
                if (mask[row] != 0 && ArgMax(tape.Logits.Slice(row * classes, classes)) == targets[row])
                {
                    correct++;
                }
            }
        }

        return new EvaluationResult(lossSum / Math.Max(1, counted), (double)correct / Math.Max(1, counted), counted);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
