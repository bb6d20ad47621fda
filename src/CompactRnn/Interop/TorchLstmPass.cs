using System;
using CompactRnn.Layers;

namespace CompactRnn.Interop;

/// <summary>
/// One forward pass of a <see cref="TorchLstm"/>: its outputs and final states, and what the backward pass needs
/// (each layer's tape and input). <see cref="Backward"/> may be called any number of times, each with its own
/// upstream gradients.
/// </summary>
public sealed class TorchLstmPass
{
    private readonly TorchLstm _lstm;
    private readonly LstmLayerTape[] _tapes;
    private readonly float[][] _layerInputs;
    private readonly int[] _lengths;
    private readonly int _steps, _batch;

    internal TorchLstmPass(TorchLstm lstm, float[] timeMajorInput, int steps, int batch, float[]? h0, float[]? c0, int[] lengths)
    {
        _lstm = lstm;
        _steps = steps;
        _batch = batch;
        _lengths = lengths;
        int layerCount = lstm.NumLayers, p = lstm.StateSize, h = lstm.HiddenSize;
        _tapes = new LstmLayerTape[layerCount];
        _layerInputs = new float[layerCount][];
        float[] hN = new float[layerCount * batch * p], cN = new float[layerCount * batch * h];
        float[] x = timeMajorInput;
        for (int k = 0; k < layerCount; k++)
        {
            LstmLayer layer = lstm.Network.Layers[k];
            var tape = new LstmLayerTape(layer, steps, batch);
            h0?.AsSpan(k * batch * p, batch * p).CopyTo(tape.InitialOutput);
            c0?.AsSpan(k * batch * h, batch * h).CopyTo(tape.InitialCell);
            layer.Forward(lstm.Network.LayerParameters(lstm.Parameters, k), lstm.Network.LayerCache(lstm.Cache, k), x, steps, lengths, tape);
            _tapes[k] = tape;
            _layerInputs[k] = x;
            x = tape.Outputs(steps).ToArray();
            ZeroPadded(x, p); // packed-sequence semantics: padded steps output 0 (the tape itself carries r over them)
            tape.FinalOutput(steps).CopyTo(hN.AsSpan(k * batch * p, batch * p));
            tape.FinalCell(steps).CopyTo(cN.AsSpan(k * batch * h, batch * h));
        }

        Output = new PyTorchTensor(lstm.BatchFirst ? [batch, steps, p] : [steps, batch, p], lstm.BatchFirst ? SwapLeadingAxes(x, steps, batch, p) : x);
        HN = new PyTorchTensor([layerCount, batch, p], hN);
        CN = new PyTorchTensor([layerCount, batch, h], cN);
    }

    /// <summary>The top layer's h_t for every step: [T, B, P], or [B, T, P] when batch-first.</summary>
    public PyTorchTensor Output { get; }

    /// <summary>h_n: every layer's final h, [L, B, P].</summary>
    public PyTorchTensor HN { get; }

    /// <summary>c_n: every layer's final c, [L, B, H].</summary>
    public PyTorchTensor CN { get; }

    /// <summary>
    /// Backpropagation through the whole stack for the scalar loss L whose gradients w.r.t. the outputs and the final
    /// states are given (as <c>torch.autograd.backward([output, h_n, c_n], [dOutput, dHN, dCN])</c>).
    /// </summary>
    /// <param name="dOutput">∂L/∂output in <see cref="Output"/>'s shape, or null for zero. Entries at padded steps are ignored (those outputs are constant 0).</param>
    /// <param name="dHN">∂L/∂h_n [L, B, P], or null for zero.</param>
    /// <param name="dCN">∂L/∂c_n [L, B, H], or null for zero.</param>
    /// <returns>∂L/∂input, ∂L/∂h0, ∂L/∂c0 and ∂L/∂θ.</returns>
    public TorchLstmGradients Backward(PyTorchTensor? dOutput, PyTorchTensor? dHN = null, PyTorchTensor? dCN = null)
    {
        RequireShape(dOutput, Output, nameof(dOutput));
        RequireShape(dHN, HN, nameof(dHN));
        RequireShape(dCN, CN, nameof(dCN));
        int layerCount = _lstm.NumLayers, p = _lstm.StateSize, h = _lstm.HiddenSize, batch = _batch;
        float[] dParameters = new float[_lstm.Network.ParameterCount];
        float[] dH0 = new float[layerCount * batch * p], dC0 = new float[layerCount * batch * h];
        float[] dOutputs = dOutput is null ? new float[_steps * batch * p]
            : _lstm.BatchFirst ? SwapLeadingAxes(dOutput.Data, batch, _steps, p) : (float[])dOutput.Data.Clone();
        ZeroPadded(dOutputs, p);
        for (int k = layerCount - 1; k >= 0; k--)
        {
            LstmLayer layer = _lstm.Network.Layers[k];
            float[] dInputs = new float[_layerInputs[k].Length];
            ReadOnlySpan<float> dFinalOutput = dHN is null ? [] : dHN.Data.AsSpan(k * batch * p, batch * p);
            ReadOnlySpan<float> dFinalCell = dCN is null ? [] : dCN.Data.AsSpan(k * batch * h, batch * h);
            layer.Backward(_lstm.Network.LayerParameters(_lstm.Parameters, k), _lstm.Network.LayerCache(_lstm.Cache, k), _layerInputs[k], _steps, _lengths,
                _tapes[k], new LstmLayerOutputGradients { Outputs = dOutputs, FinalOutput = dFinalOutput, FinalCell = dFinalCell },
                new LstmLayerInputGradients
                {
                    Parameters = _lstm.Network.LayerParameters(dParameters.AsSpan(), k),
                    Inputs = dInputs,
                    InitialOutput = dH0.AsSpan(k * batch * p, batch * p),
                    InitialCell = dC0.AsSpan(k * batch * h, batch * h),
                });
            ZeroPadded(dInputs, layer.InputSize); // a padded frame is never read
            dOutputs = dInputs;
        }

        int f = _lstm.InputSize;
        var dInput = new PyTorchTensor(_lstm.BatchFirst ? [batch, _steps, f] : [_steps, batch, f],
            _lstm.BatchFirst ? SwapLeadingAxes(dOutputs, _steps, batch, f) : dOutputs);
        return new TorchLstmGradients(_lstm.Network, dInput, new PyTorchTensor([layerCount, batch, p], dH0), new PyTorchTensor([layerCount, batch, h], dC0), dParameters);
    }

    /// <summary>[A, B, W] → [B, A, W] (row-major).</summary>
    internal static float[] SwapLeadingAxes(float[] source, int outer, int inner, int width)
    {
        float[] result = new float[source.Length];
        for (int a = 0; a < outer; a++)
        {
            for (int b = 0; b < inner; b++)
            {
                source.AsSpan(((a * inner) + b) * width, width).CopyTo(result.AsSpan(((b * outer) + a) * width, width));
            }
        }

        return result;
    }

    private void ZeroPadded(float[] timeMajor, int width)
    {
        if (_lengths.Length == 0)
        {
            return;
        }

        for (int t = 0; t < _steps; t++)
        {
            for (int b = 0; b < _batch; b++)
            {
                if (t >= _lengths[b])
                {
                    timeMajor.AsSpan(((t * _batch) + b) * width, width).Clear();
                }
            }
        }
    }

    private static void RequireShape(PyTorchTensor? gradient, PyTorchTensor value, string name)
    {
        if (gradient is not null && !gradient.HasShape(value.Shape))
        {
            throw new ArgumentException($"{name} must have the shape of its value, {value.ShapeText}, but is {gradient.ShapeText}.", name);
        }
    }
}
