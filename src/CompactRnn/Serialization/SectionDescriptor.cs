namespace CompactRnn.Serialization;

/// <summary>One entry of the section table: the section's name, element type and element count.</summary>
/// <param name="Name">ASCII name of 1–64 characters from <c>a–z 0–9 . _ -</c>, unique in the file.</param>
/// <param name="Type">The element type.</param>
/// <param name="Count">The number of elements, at least 0.</param>
internal readonly record struct SectionDescriptor(string Name, SectionElementType Type, long Count)
{
    /// <summary>Payload size in bytes.</summary>
    public long ByteLength => Type == SectionElementType.Float32 ? Count * sizeof(float) : Count;
}
