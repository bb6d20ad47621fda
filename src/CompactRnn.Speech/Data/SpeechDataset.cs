using System;
using System.Collections.Generic;
using System.Linq;

namespace CompactRnn.Speech.Data;

/// <summary>
/// A connected-digit speech dataset: utterances (quantised log-mel frames, a class label per frame, word
/// transcripts, speaker), the phone inventory (phone 0 is <see cref="SilencePhone"/>), the lexicon, the
/// feature quantiser and the training-split normalisation statistics. Stored in the format of
/// <see cref="SpeechDatasetFile"/> (docs/dataset-format.md).
/// Frame classes are phone states: silence is class 0 and phone p ≥ 1 has <see cref="StatesPerPhone"/>
/// consecutive classes 1 + (p − 1)·S + k for its k-th part (begin, middle, end when S = 3). Sub-states make
/// repeated phones across a word boundary ("oh oh", "six seven") visible in the labels.
/// </summary>
public sealed class SpeechDataset
{
    /// <summary>Name of the silence/pause class.</summary>
    public const string SilencePhone = "sil";

    /// <summary>Largest phone inventory the format stores.</summary>
    public const int MaxPhoneCount = 255;

    /// <summary>Largest frame class count the format stores (labels are bytes).</summary>
    public const int MaxClassCount = 255;

    private readonly string[] _phones;
    private readonly string[] _classNames;
    private readonly LexiconEntry[] _lexicon;
    private readonly Utterance[] _utterances;

    /// <summary>Creates a dataset and checks that all parts agree (dimensions, label ranges, unique ids).</summary>
    public SpeechDataset(
        IReadOnlyList<string> phones,
        int statesPerPhone,
        IReadOnlyList<LexiconEntry> lexicon,
        FeatureQuantizer quantizer,
        NormalizationStatistics normalization,
        IReadOnlyList<Utterance> utterances,
        string description)
    {
        ArgumentNullException.ThrowIfNull(phones);
        ArgumentNullException.ThrowIfNull(lexicon);
        ArgumentNullException.ThrowIfNull(quantizer);
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentNullException.ThrowIfNull(utterances);
        ArgumentNullException.ThrowIfNull(description);
        if (phones.Count > MaxPhoneCount)
        {
            throw new ArgumentOutOfRangeException(nameof(phones), phones.Count, $"At most {MaxPhoneCount} phones are supported.");
        }

        if (statesPerPhone < 1 || statesPerPhone > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(statesPerPhone), statesPerPhone, "States per phone must lie in 1..5.");
        }

        int classCount = phones.Count == 0 ? 0 : 1 + ((phones.Count - 1) * statesPerPhone);
        if (classCount > MaxClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(phones), phones.Count, $"{phones.Count} phones × {statesPerPhone} states exceed {MaxClassCount} classes.");
        }

        if (phones.Count > 0 && phones[0] != SilencePhone)
        {
            throw new ArgumentException($"Phone 0 must be '{SilencePhone}', not '{phones[0]}'.", nameof(phones));
        }

        if (phones.Distinct(StringComparer.Ordinal).Count() != phones.Count || phones.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Phone names must be unique and non-empty.", nameof(phones));
        }

        if (quantizer.Dimension != normalization.Dimension)
        {
            throw new ArgumentException($"Quantiser dimension {quantizer.Dimension} differs from normalisation dimension {normalization.Dimension}.", nameof(normalization));
        }

        foreach (LexiconEntry entry in lexicon)
        {
            if (entry.Pronunciations.SelectMany(p => p).Any(c => c < 1 || c >= phones.Count))
            {
                throw new ArgumentException($"Word '{entry.Word}' uses a phone index outside 1..{phones.Count - 1}.", nameof(lexicon));
            }
        }

        if (lexicon.Select(e => e.Word).Distinct(StringComparer.Ordinal).Count() != lexicon.Count)
        {
            throw new ArgumentException("Lexicon words must be unique.", nameof(lexicon));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (Utterance utterance in utterances)
        {
            if (utterance.FeatureDimension != quantizer.Dimension)
            {
                throw new ArgumentException($"Utterance '{utterance.Id}' has dimension {utterance.FeatureDimension}, expected {quantizer.Dimension}.", nameof(utterances));
            }

            if (!ids.Add(utterance.Id))
            {
                throw new ArgumentException($"Utterance id '{utterance.Id}' is repeated.", nameof(utterances));
            }

            foreach (int label in utterance.FrameLabels)
            {
                if (label < 0 || label >= classCount)
                {
                    throw new ArgumentException($"Utterance '{utterance.Id}' has label {label} outside 0..{classCount - 1}.", nameof(utterances));
                }
            }
        }

        _phones = [.. phones];
        StatesPerPhone = statesPerPhone;
        _classNames = new string[classCount];
        for (int c = 0; c < classCount; c++)
        {
            _classNames[c] = c == 0 || statesPerPhone == 1 ? phones[PhoneOfClass(c)] : $"{phones[PhoneOfClass(c)]}.{(c - 1) % statesPerPhone}";
        }

        _lexicon = [.. lexicon];
        _utterances = [.. utterances];
        Quantizer = quantizer;
        Normalization = normalization;
        Description = description;
    }

    /// <summary>Phone names; the index is the class label.</summary>
    public IReadOnlyList<string> Phones => _phones;

    /// <summary>Sub-states per non-silence phone (S); 1 means plain phone labels.</summary>
    public int StatesPerPhone { get; }

    /// <summary>Number of frame classes, 1 + (phones − 1)·S (0 without an inventory).</summary>
    public int ClassCount => _classNames.Length;

    /// <summary>Class names: <c>sil</c>, then <c>phone.k</c> (or the phone when S = 1).</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>Index of the silence class (0), or −1 for a dataset without an inventory.</summary>
    public int SilenceClass => _phones.Length > 0 ? 0 : -1;

    /// <summary>Frame class of sub-state <paramref name="state"/> of <paramref name="phone"/>: 0 for silence, else 1 + (phone − 1)·S + state.</summary>
    public static int FrameClass(int phone, int state, int statesPerPhone)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phone);
        ArgumentOutOfRangeException.ThrowIfLessThan(statesPerPhone, 1);
        if (state < 0 || state >= statesPerPhone)
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, $"State must lie in 0..{statesPerPhone - 1}.");
        }

        return phone == 0 ? 0 : 1 + ((phone - 1) * statesPerPhone) + state;
    }

    /// <summary>The phone a frame class belongs to.</summary>
    public int PhoneOfClass(int frameClass)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameClass);
        return frameClass == 0 ? 0 : 1 + ((frameClass - 1) / StatesPerPhone);
    }

    /// <summary>Words and their pronunciation variants.</summary>
    public IReadOnlyList<LexiconEntry> Lexicon => _lexicon;

    /// <summary>All utterances in file order.</summary>
    public IReadOnlyList<Utterance> Utterances => _utterances;

    /// <summary>Feature values per frame.</summary>
    public int FeatureDimension => Quantizer.Dimension;

    /// <summary>How features are stored.</summary>
    public FeatureQuantizer Quantizer { get; }

    /// <summary>Training-split mean and deviation per dimension.</summary>
    public NormalizationStatistics Normalization { get; }

    /// <summary>Free text: provenance (tool, preset, seed) of the data.</summary>
    public string Description { get; }

    /// <summary>True when every utterance has frame labels.</summary>
    public bool HasFrameLabels => _utterances.Length > 0 && _utterances.All(u => u.HasFrameLabels);

    /// <summary>The utterances of one split, in file order.</summary>
    public IReadOnlyList<Utterance> GetSplit(DatasetSplit split) => [.. _utterances.Where(u => u.Split == split)];

    /// <summary>Dequantised log-mel features, row-major [frames, dim].</summary>
    public float[] GetFeatures(Utterance utterance)
    {
        ArgumentNullException.ThrowIfNull(utterance);
        var features = new float[utterance.QuantizedFeatures.Length];
        Quantizer.Dequantize(utterance.QuantizedFeatures, features);
        return features;
    }

    /// <summary>Dequantised features normalised with the training statistics, row-major [frames, dim].</summary>
    public float[] GetNormalizedFeatures(Utterance utterance)
    {
        float[] features = GetFeatures(utterance);
        Normalization.Apply(features);
        return features;
    }

    /// <summary>
    /// Log class priors from the training labels only (<see cref="TrainingPriors"/>): log(n_c/N) for trained
    /// classes and the largest trained log prior as the floor for classes without training frames. Needed to
    /// turn posteriors into scaled likelihoods.
    /// </summary>
    public float[] ComputeLogPriors() => TrainingPriors.FromCounts(TrainingPriors.CountFrames(this));

    /// <summary>Reads a dataset file; see <see cref="SpeechDatasetFile.Read(string)"/>.</summary>
    public static SpeechDataset Load(string path) => SpeechDatasetFile.Read(path);

    /// <summary>Writes this dataset atomically; see <see cref="SpeechDatasetFile.Write(SpeechDataset, string)"/>.</summary>
    public void Save(string path) => SpeechDatasetFile.Write(this, path);
}
