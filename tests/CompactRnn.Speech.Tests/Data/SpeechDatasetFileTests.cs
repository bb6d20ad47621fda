using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Tests.Fixtures;

namespace CompactRnn.Speech.Tests.Data;

public class SpeechDatasetFileTests
{
    [Fact]
    public void WriteThenRead_SmallDataset_RoundTripsEverything()
    {
        using var directory = new TemporaryDirectory();
        SpeechDataset original = SmallDataset.Create();
        string path = directory.File("small.crds");

        original.Save(path);
        SpeechDataset loaded = SpeechDataset.Load(path);

        Assert.Equal(original.Phones, loaded.Phones);
        Assert.Equal(original.ClassNames, loaded.ClassNames);
        Assert.Equal(10, loaded.ClassCount);
        Assert.Equal(original.Description, loaded.Description);
        Assert.Equal(original.Lexicon.Select(e => e.Word), loaded.Lexicon.Select(e => e.Word));
        Assert.Equal(original.Lexicon[1].Pronunciations, loaded.Lexicon[1].Pronunciations);
        Assert.Equal(original.Normalization.Deviation, loaded.Normalization.Deviation);
        Assert.Equal(original.Quantizer.Step, loaded.Quantizer.Step);
        Assert.Equal(original.Utterances.Count, loaded.Utterances.Count);
        for (int u = 0; u < original.Utterances.Count; u++)
        {
            Utterance a = original.Utterances[u], b = loaded.Utterances[u];
            Assert.Equal((a.Id, a.Split, a.Speaker, a.FrameCount), (b.Id, b.Split, b.Speaker, b.FrameCount));
            Assert.Equal(a.Words, b.Words);
            Assert.True(a.QuantizedFeatures.SequenceEqual(b.QuantizedFeatures));
            Assert.True(a.FrameLabels.SequenceEqual(b.FrameLabels));
        }

        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp"));
    }

    [Fact]
    public void Read_BadMagic_ThrowsInvalidData()
    {
        AssertRejected(bytes => bytes[0] = (byte)'X', "bad magic");
    }

    [Fact]
    public void Read_UnsupportedVersion_ThrowsInvalidData()
    {
        AssertRejected(bytes => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 99), "unsupported format version 99");
    }

    [Fact]
    public void Read_ImplausibleDimension_ThrowsInvalidData()
    {
        AssertRejected(bytes => BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 1_000_000), "implausible header");
    }

    [Fact]
    public void Read_CorruptedPayloadByte_ThrowsChecksumMismatch()
    {
        AssertRejected(bytes => bytes[SpeechDatasetFile.HeaderLength + 10] ^= 0x5A, "checksum mismatch");
    }

    [Fact]
    public void Read_TruncatedPayload_ThrowsTruncated()
    {
        AssertRejected(bytes => bytes, length => length - 7, "truncated");
    }

    [Fact]
    public void Read_TruncatedHeader_ThrowsTruncatedHeader()
    {
        AssertRejected(bytes => bytes, _ => 30, "truncated header");
    }

    [Fact]
    public void Read_TrailingGarbage_ThrowsUnexpectedBytes()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("x.crds");
        SmallDataset.Create().Save(path);
        File.AppendAllText(path, "junk");

        var error = Assert.Throws<InvalidDataException>(() => SpeechDataset.Load(path));

        Assert.Contains("unexpected bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongCounts_ThrowsChecksumMismatch()
    {
        // Since format version 2 the SHA-256 covers the header fields as well as the payload.
        AssertRejected(bytes => BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), 7), "checksum mismatch");
    }

    [Fact]
    public void Read_NotADatasetAtAll_ThrowsBadMagic()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("text.crds");
        File.WriteAllText(path, "hello, this is not a dataset");

        var error = Assert.Throws<InvalidDataException>(() => SpeechDataset.Load(path));

        Assert.Contains("bad magic", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private static void AssertRejected(Action<byte[]> corrupt, string expectedMessage) =>
        AssertRejected(bytes => { corrupt(bytes); return bytes; }, length => length, expectedMessage);

    private static void AssertRejected(Func<byte[], byte[]> corrupt, Func<int, int> keepLength, string expectedMessage)
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("bad.crds");
        SmallDataset.Create().Save(path);
        byte[] bytes = corrupt(File.ReadAllBytes(path));
        File.WriteAllBytes(path, bytes.AsSpan(0, keepLength(bytes.Length)).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => SpeechDataset.Load(path));

        Assert.Contains(expectedMessage, error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
