using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompactRnn.Models;

namespace CompactRnn.Interop;

/// <summary>
/// What <see cref="TorchLstmPass.Backward"/> returns: ∂L/∂input, ∂L/∂h0, ∂L/∂c0, and ∂L/∂θ both as the network's flat
/// gradient buffer and by PyTorch name (<see cref="PyTorchParameterNames"/>; <c>bias_hh_l{k}</c> is accepted too and
/// equals <c>bias_ih_l{k}</c>, since nn.LSTM's two biases only appear as their sum).
/// </summary>
public sealed class TorchLstmGradients
{
    private readonly Dictionary<string, NamedParameterBlock> _blocks;

    internal TorchLstmGradients(LstmNetwork network, PyTorchTensor input, PyTorchTensor h0, PyTorchTensor c0, float[] parameters)
    {
        Input = input;
        H0 = h0;
        C0 = c0;
        Parameters = parameters;
        IReadOnlyList<NamedParameterBlock> blocks = PyTorchParameterNames.For(network);
        _blocks = blocks.ToDictionary(b => b.Name, StringComparer.Ordinal);
        ParameterNames = [.. blocks.Select(b => b.Name)];
    }

    /// <summary>∂L/∂input, in the input's shape.</summary>
    public PyTorchTensor Input { get; }

    /// <summary>∂L/∂h0 [L, B, P].</summary>
    public PyTorchTensor H0 { get; }

    /// <summary>∂L/∂c0 [L, B, H].</summary>
    public PyTorchTensor C0 { get; }

    /// <summary>∂L/∂θ in the network's flat parameter layout (<see cref="LstmNetwork.ParameterBlocks"/>).</summary>
    public float[] Parameters { get; }

    /// <summary>The PyTorch-style names of every parameter block, in storage order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>∂L/∂ of the parameter named <paramref name="name"/>, e.g. <c>weight_ih_l0</c>, <c>bias_hh_l1</c>, <c>weight_hr_l0</c>.</summary>
    /// <param name="name">A name from <see cref="ParameterNames"/>, or <c>bias_hh_l{k}</c>.</param>
    public PyTorchTensor this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            string key = name.StartsWith("bias_hh_l", StringComparison.Ordinal) ? "bias_ih_l" + name["bias_hh_l".Length..] : name;
            if (!_blocks.TryGetValue(key, out NamedParameterBlock? block))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The network has no parameter '{name}'; it has {string.Join(", ", ParameterNames)}."), nameof(name));
            }

            return new PyTorchTensor(block.Shape, block.Block.Slice((ReadOnlySpan<float>)Parameters).ToArray());
        }
    }
}
