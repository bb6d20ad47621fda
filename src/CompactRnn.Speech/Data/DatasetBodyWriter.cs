using System.IO;
using System.Linq;
using System.Text;

namespace CompactRnn.Speech.Data;

/// <summary>
/// Serialises the uncompressed body of a <c>.crds</c> file (layout in docs/dataset-format.md): description,
/// phones, lexicon, quantiser, normalisation, speakers, utterances. Strings are an i32 byte length and UTF-8.
/// </summary>
internal static class DatasetBodyWriter
{
    public static byte[] Write(SpeechDataset dataset)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        WriteString(writer, dataset.Description);
        foreach (string phone in dataset.Phones)
        {
            WriteString(writer, phone);
        }

        writer.Write(dataset.StatesPerPhone);

        foreach (LexiconEntry entry in dataset.Lexicon)
        {
            WriteString(writer, entry.Word);
            writer.Write(entry.Pronunciations.Count);
            foreach (var pronunciation in entry.Pronunciations)
            {
                writer.Write(pronunciation.Count);
                foreach (int phone in pronunciation)
                {
                    writer.Write((byte)phone);
                }
            }
        }

        int dimension = dataset.FeatureDimension;
        for (int d = 0; d < dimension; d++)
        {
            writer.Write(dataset.Quantizer.Offset[d]);
            writer.Write(dataset.Quantizer.Step[d]);
        }

        for (int d = 0; d < dimension; d++)
        {
            writer.Write(dataset.Normalization.Mean[d]);
            writer.Write(dataset.Normalization.Deviation[d]);
        }

        string[] speakers = [.. dataset.Utterances.Select(u => u.Speaker).Distinct().Order(System.StringComparer.Ordinal)];
        writer.Write(speakers.Length);
        foreach (string speaker in speakers)
        {
            WriteString(writer, speaker);
        }

        bool labels = dataset.HasFrameLabels;
        int unlabelled = dataset.Utterances.Count(u => !u.HasFrameLabels);
        if (unlabelled > 0 && unlabelled < dataset.Utterances.Count)
        {
            // The format stores labels for all utterances or none; dropping the others' labels silently would lose data.
            throw new System.InvalidOperationException(
                $"{unlabelled} of {dataset.Utterances.Count} utterances (e.g. '{dataset.Utterances.First(u => !u.HasFrameLabels).Id}') have no frame labels; "
                + "a dataset file stores labels for every utterance or for none. Save the labelled and unlabelled utterances as separate datasets.");
        }

        foreach (Utterance utterance in dataset.Utterances)
        {
            WriteString(writer, utterance.Id);
            writer.Write((byte)utterance.Split);
            writer.Write(System.Array.BinarySearch(speakers, utterance.Speaker, System.StringComparer.Ordinal));
            writer.Write(utterance.Words.Count);
            foreach (string word in utterance.Words)
            {
                WriteString(writer, word);
            }

            writer.Write(utterance.FrameCount);
            writer.Write(FeatureCodec.Encode(utterance.QuantizedFeatures.ToArray(), utterance.FrameCount, dimension));
            if (labels)
            {
                foreach (int label in utterance.FrameLabels)
                {
                    writer.Write((byte)label);
                }
            }
        }

        writer.Flush();
        return stream.ToArray();
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }
}
