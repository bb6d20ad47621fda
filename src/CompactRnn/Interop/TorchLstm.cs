using System;
using System.Collections.Generic;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Interop;

/// <summary>
/// A network called the way <c>torch.nn.LSTM</c> is: <c>output, (h_n, c_n) = lstm(input, (h0, c0))</c>, then a
/// backward pass that takes ∂L/∂output, ∂L/∂h_n, ∂L/∂c_n and returns ∂L/∂input, ∂L/∂h0, ∂L/∂c0 and ∂L/∂θ for every
/// parameter under its PyTorch name (<see cref="PyTorchParameterNames"/>). Any gate-matrix kind works; gradients of
/// compact layers are those of their own factors.
/// </summary>
/// <remarks>
/// <para><b>Shapes</b> (T steps, B sequences, L layers, H cells, P = the projection size, or H without one):
/// input [T, B, F] (or [B, T, F] with <see cref="BatchFirst"/>), h0 and h_n [L, B, P], c0 and c_n [L, B, H],
/// output [T, B, P] (or [B, T, P]). As in nn.LSTM every layer has the same H and P, and there is no output layer.</para>
/// <para><b>Variable lengths</b> follow <c>pack_padded_sequence</c>: for sequence b, steps t ≥ lengths[b] leave the
/// state unchanged and give output 0, and h_n, c_n are the state after the sequence's last step.</para>
/// <para>The pass runs without dropout (nn.LSTM in <c>eval()</c> mode). The object is immutable and thread-safe;
/// each <see cref="Forward"/> returns its own <see cref="TorchLstmPass"/>.</para>
/// </remarks>
public sealed class TorchLstm
{
    private readonly float[] _parameters;
    private readonly float[] _cache;

    /// <summary>Copies the parameters and prepares the network's cache.</summary>
    /// <param name="network">A network without an output layer whose layers all have the same cell and projection sizes.</param>
    /// <param name="parameters">Exactly <see cref="LstmNetwork.ParameterCount"/> floats.</param>
    /// <param name="batchFirst">true for input and output as [B, T, ·], as nn.LSTM's <c>batch_first=True</c>.</param>
    public TorchLstm(LstmNetwork network, ReadOnlySpan<float> parameters, bool batchFirst = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        SpanGuard.RequireLength(parameters.Length, network.ParameterCount, nameof(parameters));
        if (network.OutputMatrix is not null)
        {
            throw new ArgumentException($"nn.LSTM has no output layer; this network has one with {network.OutputSize} outputs.", nameof(network));
        }

        foreach (LstmLayer layer in network.Layers)
        {
            if (layer.HiddenSize != network.Layers[0].HiddenSize || layer.OutputSize != network.Layers[0].OutputSize)
            {
                throw new ArgumentException(
                    $"nn.LSTM's [L, B, H] states need every layer to have the same sizes; layer 0 has H = {network.Layers[0].HiddenSize}, P = {network.Layers[0].OutputSize}, another has H = {layer.HiddenSize}, P = {layer.OutputSize}.",
                    nameof(network));
            }
        }

        Network = network;
        BatchFirst = batchFirst;
        _parameters = parameters.ToArray();
        _cache = new float[network.CacheSize];
        network.Prepare(_parameters, _cache);
    }

    /// <summary>Wraps a model (its network and a copy of its parameters).</summary>
    /// <param name="model">A model without an output layer, all layers the same sizes.</param>
    /// <param name="batchFirst">true for [B, T, ·] input and output.</param>
    public TorchLstm(LstmModel model, bool batchFirst = false)
        : this((model ?? throw new ArgumentNullException(nameof(model))).Network, model.Parameters, batchFirst)
    {
    }

    /// <summary>The network.</summary>
    public LstmNetwork Network { get; }

    /// <summary>Whether input and output are [B, T, ·].</summary>
    public bool BatchFirst { get; }

    /// <summary>L, nn.LSTM's <c>num_layers</c>.</summary>
    public int NumLayers => Network.Layers.Count;

    /// <summary>F, nn.LSTM's <c>input_size</c>.</summary>
    public int InputSize => Network.Options.InputSize;

    /// <summary>H, nn.LSTM's <c>hidden_size</c>.</summary>
    public int HiddenSize => Network.Layers[0].HiddenSize;

    /// <summary>P, the size of h_t: nn.LSTM's <c>proj_size</c> when it is above 0, else H.</summary>
    public int StateSize => Network.Layers[0].OutputSize;

    /// <summary>The parameters (the module's copy), in the network's flat layout.</summary>
    public ReadOnlySpan<float> Parameters => _parameters;

    internal ReadOnlySpan<float> Cache => _cache;

    /// <summary>Runs the stack: <c>output, (h_n, c_n) = lstm(input, (h0, c0))</c>.</summary>
    /// <param name="input">[T, B, F], or [B, T, F] with <see cref="BatchFirst"/>.</param>
    /// <param name="h0">[L, B, P], or null for zeros.</param>
    /// <param name="c0">[L, B, H], or null for zeros.</param>
    /// <param name="lengths">The valid length of each sequence (B values from 0 to T), or null when all are T.</param>
    /// <returns>The outputs and final states, and the recorded pass for <see cref="TorchLstmPass.Backward"/>.</returns>
    public TorchLstmPass Forward(PyTorchTensor input, PyTorchTensor? h0 = null, PyTorchTensor? c0 = null, IReadOnlyList<int>? lengths = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Shape.Length != 3 || input.Shape[2] != InputSize || input.Shape[0] < 1 || input.Shape[1] < 1)
        {
            string layout = BatchFirst ? "[B, T, F]" : "[T, B, F]";
            throw new ArgumentException($"The input must be {layout} with F = {InputSize} and T, B ≥ 1, but is {input.ShapeText}.", nameof(input));
        }

        int steps = BatchFirst ? input.Shape[1] : input.Shape[0], batch = BatchFirst ? input.Shape[0] : input.Shape[1];
        RequireState(h0, batch, StateSize, nameof(h0));
        RequireState(c0, batch, HiddenSize, nameof(c0));
        int[] validLengths = lengths is null ? [] : [.. lengths];
        if (validLengths.Length != 0 && validLengths.Length != batch)
        {
            throw new ArgumentException($"Expected {batch} lengths (one per sequence) but got {validLengths.Length}.", nameof(lengths));
        }

        float[] timeMajor = BatchFirst ? TorchLstmPass.SwapLeadingAxes(input.Data, batch, steps, InputSize) : (float[])input.Data.Clone();
        return new TorchLstmPass(this, timeMajor, steps, batch, h0?.Data, c0?.Data, validLengths);
    }

    private void RequireState(PyTorchTensor? state, int batch, int width, string name)
    {
        if (state is not null && !state.HasShape(NumLayers, batch, width))
        {
            throw new ArgumentException($"{name} must be [{NumLayers}, {batch}, {width}] but is {state.ShapeText}.", name);
        }
    }
}
