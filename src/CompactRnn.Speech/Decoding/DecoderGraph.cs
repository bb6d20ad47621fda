using System;
using System.Collections.Generic;
using CompactRnn.Speech.Data;

namespace CompactRnn.Speech.Decoding;

/// <summary>
/// Flat state arrays of the word-loop HMM: state 0 leading silence, state 1 inter-word silence, then for
/// every pronunciation variant a contiguous left-to-right chain (so a chain state's predecessor is s − 1):
/// each phone contributes its S sub-state classes, each repeated for the minimum duration.
/// </summary>
internal sealed class DecoderGraph
{
    public const int LeadingSilence = 0;
    public const int WordSilence = 1;
    public const int FirstWordState = 2;

    private DecoderGraph(string[] words, int[] stateClass, bool[] selfLoop, bool[] isWordStart, int[] wordOfState, int[] wordEndStates)
    {
        Words = words;
        StateClass = stateClass;
        SelfLoop = selfLoop;
        IsWordStart = isWordStart;
        WordOfState = wordOfState;
        WordEndStates = wordEndStates;
    }

    public string[] Words { get; }

    public int[] StateClass { get; }

    public bool[] SelfLoop { get; }

    public bool[] IsWordStart { get; }

    public int[] WordOfState { get; }

    public int[] WordEndStates { get; }

    public int StateCount => StateClass.Length;

    public static DecoderGraph Build(IReadOnlyList<LexiconEntry> lexicon, int classCount, int statesPerPhone, int framesPerState)
    {
        if (lexicon.Count == 0)
        {
            throw new ArgumentException("The lexicon is empty.", nameof(lexicon));
        }

        var words = new string[lexicon.Count];
        const int silenceClass = 0;
        var stateClass = new List<int> { silenceClass, silenceClass };
        var selfLoop = new List<bool> { true, true };
        var isWordStart = new List<bool> { false, false };
        var wordOfState = new List<int> { -1, -1 };
        var wordEnds = new List<int>();
        for (int w = 0; w < lexicon.Count; w++)
        {
            words[w] = lexicon[w].Word;
            foreach (IReadOnlyList<int> pronunciation in lexicon[w].Pronunciations)
            {
                for (int p = 0; p < pronunciation.Count; p++)
                {
                    int phone = pronunciation[p];
                    int lastClass = phone < 1 ? -1 : SpeechDataset.FrameClass(phone, statesPerPhone - 1, statesPerPhone);
                    if (lastClass < 1 || lastClass >= classCount)
                    {
                        throw new ArgumentException($"Word '{words[w]}' uses phone {phone}, whose classes fall outside 1..{classCount - 1}.", nameof(lexicon));
                    }

                    for (int state = 0; state < statesPerPhone; state++)
                    {
                        for (int k = 0; k < framesPerState; k++)
                        {
                            stateClass.Add(SpeechDataset.FrameClass(phone, state, statesPerPhone));
                            selfLoop.Add(k == framesPerState - 1);
                            isWordStart.Add(p == 0 && state == 0 && k == 0);
                            wordOfState.Add(w);
                        }
                    }
                }

                wordEnds.Add(stateClass.Count - 1);
            }
        }

        return new DecoderGraph(words, [.. stateClass], [.. selfLoop], [.. isWordStart], [.. wordOfState], [.. wordEnds]);
    }
}
