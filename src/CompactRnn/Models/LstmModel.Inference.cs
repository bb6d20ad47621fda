using System;
using System.Threading;

namespace CompactRnn.Models;

/// <content>Whole-sequence inference: float32 on the forward-only batch path, bf16 and int8 on the streaming packs.</content>
public sealed partial class LstmModel
{
    /// <summary>
    /// Runs whole sequences: <paramref name="outputs"/> receives the logits ([T, B, classes], or [B, classes] in
    /// last-frame mode), or the top layer's r_t without an output layer. A forward-only pass (no training tapes), layer
    /// by layer: <c>b + W_x x_t</c> for chunks of steps at once, then per step <c>W_r r_{t−1}</c>, the cell and the
    /// projection, with all B sequences in every product. Up to <paramref name="threads"/> threads share each step by
    /// output rows (the cells' gate rows of W_x and W_r, the rows of W_p) in a fixed set of pieces that depends on the
    /// sizes only, so the result is bit-identical for every thread count; with dense matrices (cells in multiples of 16)
    /// it equals <see cref="LstmNetwork.Forward"/> on the whole batch bit for bit, otherwise to float rounding. A product
    /// through a structure (low-rank factors, FFTs) runs whole on one thread. The buffers of the last shape used (the
    /// inputs, two layers' outputs [T, B, n_r], the pre-activations of one chunk of steps, the state) are kept with the
    /// model for the next call of that shape, so such a call allocates nothing; concurrent calls each get their own.
    /// </summary>
    /// <param name="inputs">[T, B, n_in], time-major.</param>
    /// <param name="steps">T, at least 1.</param>
    /// <param name="batchSize">B, at least 1.</param>
    /// <param name="lengths">Valid length per sequence [B], or empty.</param>
    /// <param name="outputs">Destination, overwritten.</param>
    /// <param name="threads">Threads to use, from 1 (the default) to 64: the caller and up to threads − 1 thread-pool helpers,
    /// which join as they start (a busy pool only slows the call); more than a phase's pieces (at most 8) gain nothing.</param>
    public void Infer(ReadOnlySpan<float> inputs, int steps, int batchSize, ReadOnlySpan<int> lengths, Span<float> outputs, int threads = 1)
    {
        long expected = ValidateInfer(inputs, steps, batchSize, lengths, outputs, threads);

        // Input products with enough rows for a Toeplitz-like dense form run on the twin that has them (built once, here).
        (LstmNetwork network, float[] cache) = Network.MayUseDenseForms(SequenceInference.InputRows(steps, batchSize)) ? DenseFormRuntime() : (InferenceNetwork, _inferenceCache);
        SequenceInference? buffers = Interlocked.Exchange(ref _spareInference, null);
        if (buffers is null || buffers.Steps != steps || buffers.BatchSize != batchSize || buffers.Network != network)
        {
            buffers = SequenceInference.Create(network, steps, batchSize);
        }

        BatchWeightPacks? packs = Volatile.Read(ref _batchPacks);
        if (packs is null || packs.Network != network)
        {
            packs = new BatchWeightPacks(network, _parameters, cache);
            Volatile.Write(ref _batchPacks, packs); // the last network's packs are kept (a model runs one network at a time in practice)
        }

        buffers.Run(_parameters, cache, packs, inputs, lengths, outputs[..(int)expected], threads);
        _spareInference = buffers; // keep the most recent shape for the next call
    }

    /// <summary>
    /// Runs whole sequences as <see cref="Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, int)"/> does, with
    /// the dense gate, projection and output matrices stored at <paramref name="precision"/>, as
    /// <see cref="CreateSession(WeightPrecision)"/> stores them (the same packs, made once per model and shared). bf16 and
    /// int8 run the batch in blocks of four sequences, each step by step through the packs; for int8 a weight read from memory
    /// serves all four (one integer kernel for the four, each sequence's input rounded to 7 bits on its own).
    /// Every sequence's outputs equal a <see cref="StreamingSession"/> of that precision run over it, bit for bit for
    /// dense networks, and are bit-identical for every thread count (blocks depend on B only; up to
    /// <paramref name="threads"/> threads take blocks). The error bounds are those of <see cref="CreateSession(WeightPrecision)"/>.
    /// <see cref="WeightPrecision.Float32"/> is the call without a precision. The buffers of the last call (copies of the
    /// inputs and outputs, and each thread's step state) are kept with the model for the next call of that precision, so a
    /// repeated call of the same shape allocates nothing; concurrent calls each get their own.
    /// </summary>
    /// <param name="inputs">[T, B, n_in], time-major.</param>
    /// <param name="steps">T, at least 1.</param>
    /// <param name="batchSize">B, at least 1.</param>
    /// <param name="lengths">Valid length per sequence [B], each from 0 to T, or empty.</param>
    /// <param name="outputs">Destination, overwritten.</param>
    /// <param name="precision">How the dense weights are stored.</param>
    /// <param name="threads">Threads to use, from 1 to 64; more than ⌈B/4⌉ gain nothing.</param>
    public void Infer(ReadOnlySpan<float> inputs, int steps, int batchSize, ReadOnlySpan<int> lengths, Span<float> outputs, WeightPrecision precision, int threads = 1)
    {
        if (!Enum.IsDefined(precision))
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, $"Expected {WeightPrecision.Float32}, {WeightPrecision.BFloat16} or {WeightPrecision.Int8}.");
        }

        if (precision == WeightPrecision.Float32)
        {
            Infer(inputs, steps, batchSize, lengths, outputs, threads);
            return;
        }

        long expected = ValidateInfer(inputs, steps, batchSize, lengths, outputs, threads);
        foreach (int length in lengths)
        {
            if (length < 0 || length > steps)
            {
                throw new ArgumentOutOfRangeException(nameof(lengths), length, $"Each length must be from 0 to T = {steps}.");
            }
        }

        bool everyStep = Network.OutputMatrix is null || Network.Options.OutputMode == OutputMode.Frame;
        PackedSequenceInference? buffers = Interlocked.Exchange(ref _sparePackedInference, null);
        if (buffers is null || buffers.Precision != precision)
        {
            buffers = new PackedSequenceInference(this, precision);
        }

        buffers.Run(inputs, steps, batchSize, lengths, outputs[..(int)expected], everyStep, threads);
        _sparePackedInference = buffers; // kept for the next call
    }

    /// <summary>Checks an <c>Infer</c> call's arguments; returns the number of output floats it writes.</summary>
    private long ValidateInfer(ReadOnlySpan<float> inputs, int steps, int batchSize, ReadOnlySpan<int> lengths, Span<float> outputs, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 64);
        long expectedInputs = (long)steps * batchSize * Network.Options.InputSize;
        if (inputs.Length != expectedInputs)
        {
            throw new ArgumentException($"Expected {expectedInputs} input floats ([T = {steps}, B = {batchSize}, {Network.Options.InputSize}]) but got {inputs.Length}.", nameof(inputs));
        }

        if (!lengths.IsEmpty && lengths.Length != batchSize)
        {
            throw new ArgumentException($"Expected {batchSize} lengths (one per sequence) but got {lengths.Length}.", nameof(lengths));
        }

        long expected = Network.OutputMatrix is null || Network.Options.OutputMode == OutputMode.Frame
            ? (long)steps * batchSize * Network.OutputSize
            : (long)batchSize * Network.OutputSize;
        if (outputs.Length < expected)
        {
            throw new ArgumentException($"Expected at least {expected} floats but got {outputs.Length}.", nameof(outputs));
        }

        return expected;
    }
}
