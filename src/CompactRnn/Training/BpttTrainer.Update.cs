using System;
using System.Globalization;
using System.Numerics.Tensors;
using CompactRnn.Threading;

namespace CompactRnn.Training;

/// <content>One minibatch: per chunk, the shards' forward, loss and backward, then the checks, the clip and the optimiser step.</content>
public sealed partial class BpttTrainer
{
    /// <summary>
    /// Trains on the minibatch loaded into the shards: one update per chunk of <paramref name="chunk"/> steps (truncated BPTT)
    /// that has counted frames. Returns the summed loss and the number of counted frames.
    /// </summary>
    private (double Sum, long Count) TrainBatch(TrainingShard[] shards, DedicatedWorker<ShardJob>? worker, int chunk)
    {
        double sum = 0;
        long count = 0;
        int longest = 0;
        foreach (TrainingShard shard in shards)
        {
            shard.Tape.ResetState();
            longest = Math.Max(longest, shard.Batch.Steps);
        }

        for (int start = 0; start < longest; start += chunk)
        {
            int steps = Math.Min(chunk, longest - start);
            long counted = 0;
            foreach (TrainingShard shard in shards)
            {
                counted += shard.CountFrames(_lastFrame, start, steps);
            }

            if (counted == 0)
            {
                continue;
            }

            // Each shard runs forward, loss and backward on its own rows; the gradient of the mean over all
            // counted frames is the sum of the shards' gradients, added in a fixed order (deterministic).
            float scale = 1f / counted;
            if (shards.Length == 1)
            {
                shards[0].Run(_network, Parameters, _cache, _lastFrame, start, steps, scale, _options.LabelSmoothing, _options.DistillationWeight);
            }
            else
            {
                worker!.Begin(new ShardJob(shards[1], _network, Parameters, _cache, _lastFrame, start, steps, scale, _options.LabelSmoothing, _options.DistillationWeight));
                try
                {
                    shards[0].Run(_network, Parameters, _cache, _lastFrame, start, steps, scale, _options.LabelSmoothing, _options.DistillationWeight);
                }
                finally
                {
                    worker.End(); // always joined, so the worker never outlives this update's buffers in use
                }
            }

            double lossSum = 0;
            foreach (TrainingShard shard in shards)
            {
                lossSum += shard.LossSum;
            }

            if (!double.IsFinite(lossSum))
            {
                throw new TrainingDivergedException(Updates, "the loss");
            }

            for (int s = 1; s < shards.Length; s++)
            {
                TensorPrimitives.Add(shards[0].Gradients, shards[s].Gradients, shards[0].Gradients);
            }

            float[] gradients = shards[0].Gradients;
            int bad = NonFiniteDetector.FindNonFinite(gradients);
            if (bad >= 0)
            {
                throw new TrainingDivergedException(Updates, $"the gradient of {BlockName(bad)}");
            }

            if (_options.ClipNorm > 0)
            {
                GradientClipping.ClipGlobalNorm(gradients, _options.ClipNorm);
            }

            // A finite gradient can still overflow a parameter (an extreme learning rate): check after the
            // step and restore the copy, so a diverged run never leaves NaN or ±∞ parameters behind.
            Parameters.AsSpan().CopyTo(_lastGood);
            _optimizer.Step(Parameters, gradients);
            int overflowed = NonFiniteDetector.FindNonFinite(Parameters);
            if (overflowed >= 0)
            {
                _lastGood.AsSpan().CopyTo(Parameters);
                _network.Prepare(Parameters, _cache);
                throw new TrainingDivergedException(Updates, $"{BlockName(overflowed)} after the optimiser step");
            }

            _network.Prepare(Parameters, _cache);
            Updates++;
            sum += lossSum;
            count += counted;
        }

        return (sum, count);
    }

    /// <summary>The parameter block and index holding flat parameter <paramref name="index"/>, for messages.</summary>
    private string BlockName(int index)
    {
        foreach (var block in _network.ParameterBlocks)
        {
            if (index >= block.Offset && index < block.Offset + block.Length)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{block.Name}[{index - block.Offset}]");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"parameter {index}");
    }
}
