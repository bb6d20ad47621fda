using System;
using System.Text;
using CompactRnn.Serialization;

namespace CompactRnn.Tests.Serialization;

public class Crc32CTests
{
    [Fact]
    public void Compute_StandardCheckString_GivesPublishedCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Compute_Empty_IsZero()
    {
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void Append_InPieces_EqualsWholeComputation()
    {
        byte[] data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog, twice over.");
        uint state = Crc32C.InitialState;
        foreach (int cut in new[] { 0, 3, 11, 12, 30 })
        {
            int next = cut == 30 ? data.Length : cut switch { 0 => 3, 3 => 11, 11 => 12, _ => 30 };
            state = Crc32C.Append(state, data.AsSpan(cut, next - cut));
        }

        Assert.Equal(Crc32C.Compute(data), Crc32C.Finish(state));
        Assert.Equal(0x22620404u, Crc32C.Compute("The quick brown fox jumps over the lazy dog"u8));
    }
}
