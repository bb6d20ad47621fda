namespace CompactRnn.Compression;

/// <summary>Which gate matrices of a chosen layer <see cref="ModelCompressor"/> replaces.</summary>
public enum CompressedMatrices
{
    /// <summary>Both W_x (4n_c × n_in) and W_r (4n_c × n_r).</summary>
    InputAndRecurrent = 0,

    /// <summary>Only W_x; W_r is copied unchanged.</summary>
    InputOnly = 1,

    /// <summary>Only W_r; W_x is copied unchanged.</summary>
    RecurrentOnly = 2,
}
