namespace CompactRnn.Serialization;

/// <summary>The element type of a section payload (stored as one byte).</summary>
internal enum SectionElementType : byte
{
    /// <summary>Opaque bytes, e.g. UTF-8 JSON; one byte per element.</summary>
    Bytes = 1,

    /// <summary>IEEE 754 binary32, little-endian; four bytes per element.</summary>
    Float32 = 2,
}
