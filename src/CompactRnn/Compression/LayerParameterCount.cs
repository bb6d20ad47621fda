namespace CompactRnn.Compression;

/// <summary>The parameter count of one layer of a network, against the all-dense layer of the same sizes.</summary>
/// <param name="Index">The layer index, bottom = 0.</param>
/// <param name="InputKind">W_x's kind and rank, e.g. <c>lowrank:k=32</c>.</param>
/// <param name="RecurrentKind">W_r's kind and rank.</param>
/// <param name="ProjectionKind">W_p's kind and rank, or <c>none</c>.</param>
/// <param name="InputSize">n_in.</param>
/// <param name="HiddenSize">n_c.</param>
/// <param name="OutputSize">n_r.</param>
/// <param name="Parameters">The layer's trainable floats.</param>
/// <param name="DenseParameters">The floats of the same sizes with every matrix dense.</param>
public sealed record LayerParameterCount(int Index, string InputKind, string RecurrentKind, string ProjectionKind,
    int InputSize, int HiddenSize, int OutputSize, long Parameters, long DenseParameters)
{
    /// <summary>Dense over actual parameters (above 1 when the layer is smaller than its dense form).</summary>
    public double CompressionRatio => (double)DenseParameters / Parameters;
}
