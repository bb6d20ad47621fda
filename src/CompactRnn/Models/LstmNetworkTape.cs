using System;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// The explicit, reusable state of one forward/backward pass of an <see cref="LstmNetwork"/> over
/// at most <see cref="MaxSteps"/> steps of <see cref="BatchSize"/> sequences: each layer's tape (with
/// its initial state), dropout masks, logits and gradient buffers. Allocated once; nothing on the
/// training hot path allocates.
/// </summary>
public sealed class LstmNetworkTape
{
    internal LstmNetworkTape(LstmNetwork network, int maxSteps, int batchSize, int seed)
    {
        MaxSteps = maxSteps;
        BatchSize = batchSize;
        int layerCount = network.Layers.Count;
        Layers = new LstmLayerTape[layerCount];
        DroppedInputs = new float[layerCount][];
        DropoutMasks = new float[layerCount][];
        OutputGradients = new float[layerCount][];
        for (int l = 0; l < layerCount; l++)
        {
            LstmLayer layer = network.Layers[l];
            Layers[l] = new LstmLayerTape(layer, maxSteps, batchSize);
            bool dropped = l > 0 && network.Options.Dropout > 0;
            DroppedInputs[l] = dropped ? new float[maxSteps * batchSize * layer.InputSize] : [];
            DropoutMasks[l] = dropped ? new float[maxSteps * batchSize * layer.InputSize] : [];
            OutputGradients[l] = new float[maxSteps * batchSize * layer.OutputSize];
        }

        int top = network.Layers[^1].OutputSize;
        int outputRows = network.Options.OutputMode == OutputMode.LastFrame ? batchSize : maxSteps * batchSize;
        LastOutputs = network.Options.OutputMode == OutputMode.LastFrame ? new float[batchSize * top] : [];
        LastOutputGradients = network.Options.OutputMode == OutputMode.LastFrame ? new float[batchSize * top] : [];
        LogitsBuffer = network.OutputMatrix is null ? [] : new float[outputRows * network.Options.OutputSize];
        OutputWorkspace = network.OutputMatrix is null ? [] : new float[network.OutputMatrix.WorkspaceSize(outputRows)];
        DropoutRandom = new Random(seed);
    }

    /// <summary>The longest sequence the tape holds.</summary>
    public int MaxSteps { get; }

    /// <summary>Bytes of the arrays this tape and its layer tapes hold now.</summary>
    internal long AllocatedBytes
    {
        get
        {
            long bytes = CompactRnn.AllocatedBytes.Of(DroppedInputs) + CompactRnn.AllocatedBytes.Of(DropoutMasks) + CompactRnn.AllocatedBytes.Of(OutputGradients)
                + CompactRnn.AllocatedBytes.Of(LastOutputs, LastOutputGradients, LogitsBuffer, OutputWorkspace);
            foreach (LstmLayerTape layer in Layers)
            {
                bytes += layer.AllocatedBytes;
            }

            return bytes;
        }
    }

    /// <summary>The number of sequences per pass.</summary>
    public int BatchSize { get; }

    /// <summary>Per-layer tapes, bottom first; their <c>InitialOutput</c>/<c>InitialCell</c> hold the initial state.</summary>
    public LstmLayerTape[] Layers { get; }

    /// <summary>
    /// The output layer's logits from the last forward pass: [T, B, classes] in frame mode,
    /// [B, classes] in last-frame mode.
    /// </summary>
    public Span<float> Logits => LogitsBuffer;

    internal float[] LogitsBuffer { get; }

    internal float[][] DroppedInputs { get; }

    internal float[][] DropoutMasks { get; }

    internal float[][] OutputGradients { get; }

    internal float[] LastOutputs { get; }

    internal float[] LastOutputGradients { get; }

    internal float[] OutputWorkspace { get; }

    internal Random DropoutRandom { get; private set; }

    /// <summary>Restarts the dropout masks' generator from <paramref name="seed"/> (the trainer does so every epoch, so a
    /// resumed run draws the same masks without saving generator state).</summary>
    internal void ReseedDropout(int seed) => DropoutRandom = new Random(seed);

    /// <summary>Sets every layer's initial state to zero.</summary>
    public void ResetState()
    {
        foreach (LstmLayerTape layer in Layers)
        {
            layer.InitialOutput.Clear();
            layer.InitialCell.Clear();
        }
    }

    /// <summary>
    /// Makes the final state of a pass of <paramref name="steps"/> steps the initial state of the next
    /// (truncated BPTT: the state is carried across chunks, its gradient is not).
    /// </summary>
    public void CarryFinalState(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(steps, MaxSteps);
        foreach (LstmLayerTape layer in Layers)
        {
            layer.FinalOutput(steps).CopyTo(layer.InitialOutput);
            layer.FinalCell(steps).CopyTo(layer.InitialCell);
        }
    }
}
