using CompactRnn.Parameters;

namespace CompactRnn.Interop;

/// <summary>A parameter block of a network under its PyTorch-style name (<see cref="PyTorchParameterNames"/>).</summary>
/// <param name="Name">The PyTorch-style name, e.g. <c>weight_ih_l0</c> or <c>weight_hh_l1.G</c>.</param>
/// <param name="Block">Where the block lives in the network's flat parameter (and gradient) buffer.</param>
/// <param name="Shape">The tensor shape under that name (its product is <see cref="ParameterBlock.Length"/>).</param>
public sealed record NamedParameterBlock(string Name, ParameterBlock Block, int[] Shape);
