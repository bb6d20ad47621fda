using CompactRnn.Onnx.Graphs;

namespace CompactRnn.Onnx.Tests;

public class ProtobufWriterTests
{
    [Fact]
    public void WriteInt64_MultiByteVarint_MatchesWireFormat()
    {
        var writer = new ProtobufWriter();
        writer.WriteInt64(1, 150);                     // the protobuf documentation's own example

        Assert.Equal(new byte[] { 0x08, 0x96, 0x01 }, writer.ToArray());
    }

    [Fact]
    public void WriteInt64_Negative_TakesTenBytes()
    {
        var writer = new ProtobufWriter();
        writer.WriteInt64(2, -1);

        byte[] bytes = writer.ToArray();
        Assert.Equal(11, bytes.Length);
        Assert.Equal(0x10, bytes[0]);
        Assert.Equal(0x01, bytes[^1]);
    }

    [Fact]
    public void WriteFloat_One_IsFixed32LittleEndian()
    {
        var writer = new ProtobufWriter();
        writer.WriteFloat(2, 1f);

        Assert.Equal(new byte[] { 0x15, 0x00, 0x00, 0x80, 0x3F }, writer.ToArray());
    }

    [Fact]
    public void WriteMessage_Nested_IsLengthDelimited()
    {
        var inner = new ProtobufWriter();
        inner.WriteString(1, "ab");
        var outer = new ProtobufWriter();
        outer.WriteMessage(20, inner);                 // field 20 needs a two-byte tag

        Assert.Equal(new byte[] { 0xA2, 0x01, 0x04, 0x0A, 0x02, (byte)'a', (byte)'b' }, outer.ToArray());
    }

    [Fact]
    public void WritePackedInt64_Values_AreOneLengthDelimitedField()
    {
        var writer = new ProtobufWriter();
        writer.WritePackedInt64(1, [3, 270]);

        Assert.Equal(new byte[] { 0x0A, 0x03, 0x03, 0x8E, 0x02 }, writer.ToArray());
    }
}
