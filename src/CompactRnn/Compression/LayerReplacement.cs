namespace CompactRnn.Compression;

/// <summary>
/// New parameters for some matrices of one layer, in the layout of the new layer's matrices; a null
/// entry means "copy the source layer's parameters unchanged".
/// </summary>
internal sealed class LayerReplacement
{
    /// <summary>W_x's new parameters, or null.</summary>
    public float[]? Input { get; set; }

    /// <summary>W_r's new parameters, or null.</summary>
    public float[]? Recurrent { get; set; }

    /// <summary>Added to the gate bias b (4n_c), or null to copy b unchanged.</summary>
    public float[]? BiasShift { get; set; }

    /// <summary>W_p's new parameters, or null.</summary>
    public float[]? Projection { get; set; }
}
