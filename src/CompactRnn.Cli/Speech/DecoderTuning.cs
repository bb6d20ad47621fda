using System.Collections.Generic;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Decoding;

namespace CompactRnn.Cli.Speech;

/// <summary>
/// Picks the decoder's acoustic scale and word-insertion penalty on the dev split (never on test): a
/// small grid, lowest dev WER, ties to the earlier (more conservative) setting.
/// </summary>
internal static class DecoderTuning
{
    private static readonly float[] AcousticScales = [0.5f, 1f];
    private static readonly float[] Penalties = [0f, 2f, 4f, 8f];

    public static DecoderOptions Tune(SpeechDataset dataset, SpeechSequenceDataset dev, IReadOnlyList<float[]> devLogPosteriors)
    {
        DecoderOptions best = new();
        double bestWer = double.PositiveInfinity;
        foreach (float scale in AcousticScales)
        {
            foreach (float penalty in Penalties)
            {
                var options = new DecoderOptions { AcousticScale = scale, WordInsertionPenalty = penalty };
                double wer = AcousticScorer.Score(dev, devLogPosteriors, DigitLoopDecoder.Create(dataset, options)).WordErrorRate;
                if (wer < bestWer)
                {
                    bestWer = wer;
                    best = options;
                }
            }
        }

        return best;
    }
}
