using System;
using System.Buffers.Binary;
using System.IO;
using CompactRnn.Speech.Audio;

namespace CompactRnn.Speech.Tests.Audio;

public class WavReaderTests
{
    [Fact]
    public void Parse_StereoPcm_AveragesChannels()
    {
        byte[] wav = Wave(channels: 2, rate: 8000, [1000, 3000, -2000, -4000]);

        (float[] samples, int rate) = WavReader.Parse(wav);

        Assert.Equal(8000, rate);
        Assert.Equal([2000f / 32768f, -3000f / 32768f], samples);
    }

    [Fact]
    public void Parse_EightBitPcm_ThrowsInvalidData()
    {
        byte[] wav = Wave(channels: 1, rate: 8000, [0, 0], bits: 8);

        var error = Assert.Throws<InvalidDataException>(() => WavReader.Parse(wav));

        Assert.Contains("16-bit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotRiff_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => WavReader.Parse(new byte[44]));
    }

    private static byte[] Wave(int channels, int rate, short[] samples, int bits = 16)
    {
        var bytes = new byte[44 + (samples.Length * 2)];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), rate);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), rate * channels * 2);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(32), (short)(channels * 2));
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(34), (short)bits);
        "data"u8.CopyTo(bytes.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), samples.Length * 2);
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(44 + (2 * i)), samples[i]);
        }

        return bytes;
    }
}
