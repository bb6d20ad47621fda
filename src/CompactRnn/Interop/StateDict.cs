using System.Collections.Generic;

namespace CompactRnn.Interop;

/// <summary>Named tensors and string metadata, as a PyTorch state dict saved to safetensors (or the project's JSON form).</summary>
/// <param name="Tensors">The tensors by name, in storage order (float32).</param>
/// <param name="Metadata">String pairs (safetensors' <c>__metadata__</c>); empty when there are none.</param>
public sealed record StateDict(IReadOnlyDictionary<string, PyTorchTensor> Tensors, IReadOnlyDictionary<string, string> Metadata);
