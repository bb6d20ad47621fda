namespace CompactRnn.Cli.Experiments;

/// <summary>
/// How a comparison compresses the dense model's layers (<see cref="LayoutCandidate"/>); written as text only in plan names,
/// result rows and search files (<see cref="LayoutKindText"/>).
/// </summary>
internal enum LayoutKind
{
    /// <summary>Every layer's W_x and W_r low-rank, <c>lowrank:k=K</c>.</summary>
    LowRank,

    /// <summary>Every layer an LSTMP whose projection is the shared factor, <c>shared-lowrank:k=K</c>.</summary>
    SharedLowRank,

    /// <summary>Every layer's W_x and W_r Toeplitz-like, <c>toeplitz:r=R</c>.</summary>
    ToeplitzLike,

    /// <summary>Toeplitz-like bottom layers, shared low-rank top layers (<see cref="LayoutCandidate.HybridSpec"/>).</summary>
    Hybrid,
}
