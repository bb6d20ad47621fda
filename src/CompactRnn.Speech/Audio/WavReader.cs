using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace CompactRnn.Speech.Audio;

/// <summary>
/// Reads RIFF/WAVE files with 16-bit PCM samples (format tag 1, or WAVE_FORMAT_EXTENSIBLE carrying PCM),
/// any sample rate and channel count; channels are averaged to mono, samples scaled to [−1, 1).
/// </summary>
public static class WavReader
{
    /// <summary>Reads <paramref name="path"/>; returns mono samples and the sample rate.</summary>
    /// <exception cref="InvalidDataException">The file is not 16-bit PCM WAVE or is truncated.</exception>
    public static (float[] Samples, int SampleRate) Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return Parse(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>Parses WAVE bytes; returns mono samples and the sample rate.</summary>
    public static (float[] Samples, int SampleRate) Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("not a RIFF/WAVE file.");
        }

        int channels = 0;
        int sampleRate = 0;
        int position = 12;
        while (position + 8 <= bytes.Length)
        {
            string id = Encoding.ASCII.GetString(bytes.Slice(position, 4));
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(position + 4, 4));
            int bodyStart = position + 8;
            // Streaming writers (espeak-ng writing to a pipe) may leave the data size as 0 or 0xFFFFFFFF.
            int size = declared > (uint)(bytes.Length - bodyStart) ? bytes.Length - bodyStart : (int)declared;
            ReadOnlySpan<byte> body = bytes.Slice(bodyStart, size);
            if (id == "fmt ")
            {
                if (size < 16)
                {
                    throw new InvalidDataException($"fmt chunk of {size} bytes is too short.");
                }

                int format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                int bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
                bool extensiblePcm = format == 0xFFFE && size >= 26 && BinaryPrimitives.ReadUInt16LittleEndian(body[24..]) == 1;
                if ((format != 1 && !extensiblePcm) || bits != 16)
                {
                    throw new InvalidDataException($"only 16-bit PCM is supported (format tag {format}, {bits} bits).");
                }

                if (channels < 1 || sampleRate < 1000 || sampleRate > 384000)
                {
                    throw new InvalidDataException($"implausible header: {channels} channels at {sampleRate} Hz.");
                }
            }
            else if (id == "data")
            {
                if (channels == 0)
                {
                    throw new InvalidDataException("data chunk before fmt chunk.");
                }

                int frames = size / (2 * channels);
                var samples = new float[frames];
                for (int i = 0; i < frames; i++)
                {
                    int sum = 0;
                    for (int c = 0; c < channels; c++)
                    {
                        sum += BinaryPrimitives.ReadInt16LittleEndian(body.Slice(2 * ((i * channels) + c), 2));
                    }

                    samples[i] = sum / (32768f * channels);
                }

                return (samples, sampleRate);
            }

            position = bodyStart + size + (size & 1);
        }

        throw new InvalidDataException("no data chunk found.");
    }
}
