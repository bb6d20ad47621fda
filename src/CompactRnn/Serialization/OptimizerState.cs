using System;
using System.Collections.Generic;
using System.Linq;

namespace CompactRnn.Serialization;

/// <summary>
/// An optimiser's resumable state as plain data: the algorithm's name, its step count and every
/// per-parameter state slot by name (e.g. <c>adam.m</c>, <c>adam.v</c>). Optimisers export and restore it;
/// <see cref="CheckpointFile"/> writes and reads it without knowing any optimiser.
/// </summary>
public sealed class OptimizerState
{
    private readonly KeyValuePair<string, float[]>[] _slots;

    /// <summary>Validates and stores the state; the slot arrays are kept, not copied.</summary>
    /// <param name="kind">The algorithm's stable name, e.g. <c>sgd</c> or <c>adam</c>.</param>
    /// <param name="stepCount">Updates applied so far; at least 0.</param>
    /// <param name="parameterCount">The number of parameters the optimiser was built for; at least 1.</param>
    /// <param name="slots">The state slots in the optimiser's order, each <paramref name="parameterCount"/> floats.</param>
    public OptimizerState(string kind, int stepCount, int parameterCount, IReadOnlyList<KeyValuePair<string, float[]>> slots)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ArgumentNullException.ThrowIfNull(slots);
        foreach (KeyValuePair<string, float[]> slot in slots)
        {
            ArgumentException.ThrowIfNullOrEmpty(slot.Key, nameof(slots));
            if (slot.Value is null || slot.Value.Length != parameterCount)
            {
                throw new ArgumentException($"State slot '{slot.Key}' has {slot.Value?.Length ?? 0} floats; expected {parameterCount}.", nameof(slots));
            }
        }

        Kind = kind;
        StepCount = stepCount;
        ParameterCount = parameterCount;
        _slots = [.. slots];
    }

    /// <summary>The algorithm's stable name, e.g. <c>sgd</c> or <c>adam</c>.</summary>
    public string Kind { get; }

    /// <summary>Updates applied so far.</summary>
    public int StepCount { get; }

    /// <summary>The number of parameters (the length of every slot).</summary>
    public int ParameterCount { get; }

    /// <summary>The slot names, in the optimiser's order.</summary>
    public IReadOnlyList<string> SlotNames => [.. _slots.Select(slot => slot.Key)];

    /// <summary>The values of the slot <paramref name="name"/>.</summary>
    /// <param name="name">A name from <see cref="SlotNames"/>.</param>
    /// <exception cref="ArgumentException">There is no such slot.</exception>
    public ReadOnlySpan<float> GetSlot(string name)
    {
        foreach (KeyValuePair<string, float[]> slot in _slots)
        {
            if (string.Equals(slot.Key, name, StringComparison.Ordinal))
            {
                return slot.Value;
            }
        }

        throw new ArgumentException($"The optimiser state has no slot '{name}'.", nameof(name));
    }
}
