using System;
using System.Buffers;
using System.Threading.Tasks;
using CompactRnn.Kernels;

namespace CompactRnn.Models;

/// <summary>
/// Whole-sequence inference with the weights stored at bf16 or int8 (<see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, WeightPrecision, int)"/>):
/// the batch is cut into blocks of <see cref="BlockRows"/> sequences, and each block runs step by step through the
/// streaming step of the model's packs (<see cref="PackedStreamingStep"/> with R = 4). For int8 each weight read from memory
/// serves the four sequences (<see cref="Int8Gemv.MultiplyAddFour"/>); bf16 runs the four rows one after another on the same pack.
/// </summary>
/// <remarks>
/// Blocks are independent and each row's result is the one-row step's (the packs treat rows independently), so every
/// row equals a <see cref="StreamingSession"/> of the same precision run over that sequence, bit for bit where the
/// network's compact matrices (if any) also treat rows independently, and the result is the same for every thread
/// count: blocks depend on the batch size only, and threads only decide who runs which block. A last block with fewer
/// than four sequences is filled with zero rows whose results are dropped.
/// </remarks>
internal static class PackedSequenceInference
{
    /// <summary>Sequences per block: the rows the int8 kernel multiplies per weight load.</summary>
    public const int BlockRows = 4;

    /// <summary>Runs the validated call (see <see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, WeightPrecision, int)"/>).</summary>
    public static void Run(LstmModel model, WeightPrecision precision, ReadOnlySpan<float> inputs, int steps, int batchSize, ReadOnlySpan<int> lengths,
        Span<float> outputs, bool everyStep, int threads)
    {
        LstmNetwork network = model.Network;
        _ = model.PackedWeights(precision); // pack once, before the blocks share the packs
        int rows = Math.Min(BlockRows, batchSize), blocks = (batchSize + rows - 1) / rows;
        var call = new Call(steps, batchSize, rows, network.Options.InputSize, network.OutputSize, everyStep,
            ArrayPool<float>.Shared.Rent(inputs.Length), ArrayPool<float>.Shared.Rent(outputs.Length), lengths.IsEmpty ? null : lengths.ToArray());
        try
        {
            inputs.CopyTo(call.Inputs);
            if (threads == 1 || blocks == 1)
            {
                var step = new PackedStreamingStep(model, precision, rows);
                for (int block = 0; block < blocks; block++)
                {
                    call.RunBlock(step, block);
                }
            }
            else
            {
                Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new PackedStreamingStep(model, precision, rows),
                    (block, _, step) =>
                    {
                        call.RunBlock(step, block);
                        return step;
                    },
                    _ => { });
            }

            call.Outputs.AsSpan(0, outputs.Length).CopyTo(outputs);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(call.Inputs);
            ArrayPool<float>.Shared.Return(call.Outputs);
        }
    }

    /// <summary>One call's sizes and buffers ([T, B, n_in] inputs; [T, B, n_out] or [B, n_out] outputs).</summary>
    private sealed record Call(int Steps, int BatchSize, int Rows, int InputSize, int OutputSize,
        bool EveryStep, float[] Inputs, float[] Outputs, int[]? Lengths)
    {
        /// <summary>Runs sequences <c>block·R …</c> from the zero state through every step.</summary>
        public void RunBlock(PackedStreamingStep step, int block)
        {
            int first = block * Rows, count = Math.Min(Rows, BatchSize - first);
            float[] frames = new float[Rows * InputSize], results = new float[Rows * OutputSize];
            int[] lengths = new int[Rows]; // the filler rows have length 0: they keep their zero state
            for (int k = 0; k < count; k++)
            {
                lengths[k] = Lengths?[first + k] ?? Steps;
            }

            step.Reset();
            for (int t = 0; t < Steps; t++)
            {
                Inputs.AsSpan(((t * BatchSize) + first) * InputSize, count * InputSize).CopyTo(frames);
                step.Step(frames, results, lengths, t);
                if (EveryStep)
                {
                    results.AsSpan(0, count * OutputSize).CopyTo(Outputs.AsSpan(((t * BatchSize) + first) * OutputSize));
                }
            }

            if (!EveryStep)
            {
                results.AsSpan(0, count * OutputSize).CopyTo(Outputs.AsSpan(first * OutputSize)); // the carried state's output is the last valid frame's
            }
        }
    }
}
