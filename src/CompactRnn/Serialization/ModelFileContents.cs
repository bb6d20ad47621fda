namespace CompactRnn.Serialization;

/// <summary>What <see cref="ModelFile.Read(string)"/> returns.</summary>
/// <param name="KindTag">The model kind tag given to <see cref="ModelFile.Write"/>.</param>
/// <param name="Configuration">The configuration bytes (UTF-8 JSON by convention), exactly as written.</param>
/// <param name="Parameters">The flat parameter buffer, bit-identical to what was written.</param>
public sealed record ModelFileContents(string KindTag, byte[] Configuration, float[] Parameters);
