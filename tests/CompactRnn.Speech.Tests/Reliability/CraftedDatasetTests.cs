using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Tests.Fixtures;

namespace CompactRnn.Speech.Tests.Reliability;

/// <summary>Issue #13 defect 5: hostile-but-checksummed datasets, header edits, lying lengths, old files.</summary>
public class CraftedDatasetTests
{
    private const long AllocationSlack = 64L << 20;

    [Theory]
    [InlineData(6, 0x01, "checksum mismatch")]      // flag bit 0: labels present
    [InlineData(6, 0x02, "unknown flag bits")]      // an undefined flag
    [InlineData(12, 0x01, "checksum mismatch")]     // utterance count
    [InlineData(20, 0x01, "checksum mismatch")]     // word count
    [InlineData(24, 0x44, "sample rate")]           // sample rate
    [InlineData(28, 0x01, "frame shift")]           // frame shift
    public void Read_HeaderFieldEdited_IsRejected(int offset, byte xor, string expected)
    {
        byte[] file = SpeechDatasetFile.Serialize(SmallDataset.Create());
        file[offset] ^= xor;

        var error = Assert.Throws<InvalidDataException>(() => SpeechDatasetFile.Read(new MemoryStream(file)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UndefinedFlagWithValidChecksum_IsRejected()
    {
        byte[] file = SpeechDatasetFile.Serialize(SmallDataset.Create());
        file[6] |= 0x80;
        DatasetFileCrafter.Rehash(file);

        var error = Assert.Throws<InvalidDataException>(() => SpeechDatasetFile.Read(new MemoryStream(file)));

        Assert.Contains("unknown flag bits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OtherSampleRateWithValidChecksum_IsRejected()
    {
        byte[] file = SpeechDatasetFile.Serialize(SmallDataset.Create());
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(24), 8000);
        DatasetFileCrafter.Rehash(file);

        var error = Assert.Throws<InvalidDataException>(() => SpeechDatasetFile.Read(new MemoryStream(file)));

        Assert.Contains("sample rate 8000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HugeDeclaredBodyWithValidChecksum_DoesNotAllocateIt()
    {
        // 4 MiB of payload that is not Brotli, declaring the largest body the 256:1 bound allows (1 GiB).
        byte[] header = SpeechDatasetFile.Serialize(SmallDataset.Create());
        var payload = new byte[4 << 20];
        new Random(5).NextBytes(payload);
        byte[] file = DatasetFileCrafter.WithPayload(header, payload, (payload.Length * 256L) + 4096);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(() => SpeechDatasetFile.Read(new MemoryStream(file)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < payload.Length + AllocationSlack, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Read_NonSeekableStreamDeclaringHugePayload_AllocatesOnlyWhatArrives()
    {
        byte[] file = SpeechDatasetFile.Serialize(SmallDataset.Create());
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(DatasetFileCrafter.PayloadLengthOffset), SpeechDatasetFile.MaxPayloadLength);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(DatasetFileCrafter.BodyLengthOffset), 1000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => SpeechDatasetFile.Read(new NonSeekableStream(file)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 8 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Read_NonSeekableValidStream_RoundTrips()
    {
        SpeechDataset original = SmallDataset.Create();

        SpeechDataset loaded = SpeechDatasetFile.Read(new NonSeekableStream(SpeechDatasetFile.Serialize(original)));

        Assert.Equal(original.Utterances.Select(u => u.Id), loaded.Utterances.Select(u => u.Id));
    }

    [Theory]
    [InlineData(1e-45f)]
    [InlineData(0f)]
    [InlineData(float.NaN)]
    public void Read_DegenerateNormalizationWithValidChecksum_IsRejected(float deviation)
    {
        byte[] file = SpeechDatasetFile.Serialize(SmallDataset.Create());
        byte[] body = DatasetFileCrafter.Body(file);
        // SmallDataset's normalisation is (mean, deviation) = (0.5, 1), (0, 2), (1, 3), (2, 4).
        float[] pairs = [0.5f, 1f, 0f, 2f, 1f, 3f, 2f, 4f];
        int at = DatasetFileCrafter.Find(body, MemoryMarshal.AsBytes(pairs.AsSpan()));
        BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(at + 4), deviation);

        var error = Assert.Throws<InvalidDataException>(() => SpeechDatasetFile.Read(new MemoryStream(DatasetFileCrafter.WithBody(file, body))));

        Assert.Contains("deviation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NormalizationMappingQuantizerRangeToInfinity_IsRejected()
    {
        byte[] file = SpeechDatasetFile.Serialize(SmallDataset.Create());
        byte[] body = DatasetFileCrafter.Body(file);
        float[] pairs = [0.5f, 1f, 0f, 2f, 1f, 3f, 2f, 4f];
        int at = DatasetFileCrafter.Find(body, MemoryMarshal.AsBytes(pairs.AsSpan()));
        BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(at), 3e38f);        // mean
        BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(at + 4), 1e-6f);    // allowed deviation, but (x − 3e38)/1e-6 overflows

        var error = Assert.Throws<InvalidDataException>(() => SpeechDatasetFile.Read(new MemoryStream(DatasetFileCrafter.WithBody(file, body))));

        Assert.Contains("non-finite features", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Version1File_StillReads()
    {
        SpeechDataset original = SmallDataset.Create();
        byte[] file = SpeechDatasetFile.Serialize(original);
        byte[] legacy = DatasetFileCrafter.WithBody(file, DatasetFileCrafter.Body(file), version: SpeechDatasetFile.LegacyFormatVersion);

        SpeechDataset loaded = SpeechDatasetFile.Read(new MemoryStream(legacy));

        Assert.Equal(original.Utterances.Count, loaded.Utterances.Count);
        Assert.True(original.Utterances[3].QuantizedFeatures.SequenceEqual(loaded.Utterances[3].QuantizedFeatures));
    }

    [Fact]
    public void Write_ProducesVersion2()
    {
        byte[] file = SpeechDatasetFile.Serialize(SmallDataset.Create());

        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(4)));
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
