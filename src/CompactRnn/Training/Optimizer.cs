using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Parameters;
using CompactRnn.Serialization;

namespace CompactRnn.Training;

/// <summary>
/// A first-order optimiser over one flat parameter span and its gradient span (same layout).
/// </summary>
/// <remarks>
/// <para><b>State.</b> Per-parameter state (momentum, moments) is allocated once in the constructor
/// for <see cref="ParameterCount"/> floats per slot; <see cref="Step"/> allocates nothing. The state
/// slots are exposed by name (<see cref="StateNames"/>, <see cref="GetState"/>) together with
/// <see cref="StepCount"/>, so a checkpoint can save and restore them exactly.</para>
/// <para><b>Learning rate.</b> Every <see cref="Step"/> reads <c>η = schedule.GetRate(StepCount)</c>
/// and then increments <see cref="StepCount"/>. After <see cref="UseBlockScales"/>, each parameter block is updated
/// with <c>η·LearningRateScale</c> of its block (docs/math.md §13), as PyTorch parameter groups with their own rates.</para>
/// <para><b>Threading.</b> An optimiser mutates its state; use one instance per model from one thread.</para>
/// </remarks>
public abstract class Optimizer
{
    /// <summary>Stores the size and schedule; subclasses allocate their state slots.</summary>
    /// <param name="parameterCount">Length of the parameter and gradient spans; at least 1.</param>
    /// <param name="schedule">The learning-rate schedule.</param>
    protected Optimizer(int parameterCount, ILearningRateSchedule schedule)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ArgumentNullException.ThrowIfNull(schedule);
        ParameterCount = parameterCount;
        Schedule = schedule;
    }

    /// <summary>The number of parameters this optimiser was built for.</summary>
    public int ParameterCount { get; }

    /// <summary>The learning-rate schedule read at every step.</summary>
    public ILearningRateSchedule Schedule { get; }

    /// <summary>A short, stable name of the algorithm, e.g. <c>sgd</c> or <c>adam</c>.</summary>
    public abstract string Kind { get; }

    private int _stepCount;

    // Runs [Start, Start + Length) of equal learning-rate scale covering the parameters in order; null = one run of scale 1.
    private (int Start, int Length, float Scale)[]? _scaleRuns;

    /// <summary>
    /// Number of updates applied so far; the next update uses the schedule at this index. Settable so a
    /// checkpoint can restore it (together with the state slots).
    /// </summary>
    public int StepCount
    {
        get => _stepCount;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _stepCount = value;
        }
    }

    /// <summary>
    /// Names of the state slots in a stable order, each <see cref="ParameterCount"/> floats long
    /// (e.g. <c>sgd.velocity</c>; <c>adam.m</c>, <c>adam.v</c>). Empty for a stateless optimiser.
    /// </summary>
    public abstract IReadOnlyList<string> StateNames { get; }

    /// <summary>The writable state slot number <paramref name="index"/> (see <see cref="StateNames"/>).</summary>
    /// <param name="index">Slot index, <c>0 ≤ index &lt; StateNames.Count</c>.</param>
    public Span<float> GetState(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, StateNames.Count);
        return GetStateCore(index);
    }

    /// <summary>A copy of the step count and every state slot as plain data, e.g. for a checkpoint.</summary>
    public OptimizerState ExportState()
    {
        var slots = new KeyValuePair<string, float[]>[StateNames.Count];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = new(StateNames[i], GetStateCore(i).ToArray());
        }

        return new OptimizerState(Kind, StepCount, ParameterCount, slots);
    }

    /// <summary>
    /// Copies a saved step count and state slots into this optimiser, after checking that it is the same
    /// algorithm with the same slots for the same number of parameters.
    /// </summary>
    /// <param name="state">State exported by an optimiser of this kind and size (e.g. from a checkpoint).</param>
    /// <exception cref="ArgumentException">The state is of another kind, size or slot list; nothing is changed.</exception>
    public void RestoreState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!string.Equals(Kind, state.Kind, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The state is '{state.Kind}' optimiser state; this optimiser is '{Kind}'.", nameof(state));
        }

        if (ParameterCount != state.ParameterCount)
        {
            throw new ArgumentException($"The state is for {state.ParameterCount} parameters; this optimiser was built for {ParameterCount}.", nameof(state));
        }

        if (!StateNames.SequenceEqual(state.SlotNames, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The state's slots [{string.Join(", ", state.SlotNames)}] differ from this optimiser's [{string.Join(", ", StateNames)}].", nameof(state));
        }

        for (int i = 0; i < StateNames.Count; i++)
        {
            state.GetSlot(StateNames[i]).CopyTo(GetStateCore(i));
        }

        StepCount = state.StepCount;
    }

    /// <summary>Applies one update in place: <c>parameters ← update(parameters, gradients, η)</c>.</summary>
    /// <param name="parameters">[ParameterCount], updated in place.</param>
    /// <param name="gradients">[ParameterCount], read only; same layout as <paramref name="parameters"/>.</param>
    /// <returns>The learning rate η that was used.</returns>
    public float Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        RequireLength(parameters.Length, nameof(parameters));
        RequireLength(gradients.Length, nameof(gradients));
        float rate = Schedule.GetRate(_stepCount);
        if (!float.IsFinite(rate) || rate < 0f)
        {
            throw new InvalidOperationException($"The schedule returned the learning rate {rate} at step {_stepCount}; expected a finite value at least 0.");
        }

        if (_scaleRuns is null)
        {
            StepCore(parameters, gradients, 0, rate, _stepCount);
        }
        else
        {
            foreach ((int start, int length, float scale) in _scaleRuns)
            {
                StepCore(parameters.Slice(start, length), gradients.Slice(start, length), start, rate * scale, _stepCount);
            }
        }

        _stepCount++;
        return rate;
    }

    /// <summary>
    /// Applies each block's <see cref="ParameterBlock.LearningRateScale"/> from now on: the elements of a block are
    /// updated with <c>η·scale</c>; elements no block covers keep <c>η</c>. Replaces any scales set before.
    /// </summary>
    /// <param name="blocks">Blocks within <c>[0, ParameterCount)</c>, not overlapping, scales finite and at least 0
    /// (for example <c>LstmNetwork.ParameterBlocks</c>).</param>
    public void UseBlockScales(IEnumerable<ParameterBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        float[] scales = new float[ParameterCount];
        bool[] covered = new bool[ParameterCount];
        scales.AsSpan().Fill(1f);
        foreach (ParameterBlock block in blocks)
        {
            if (block.Offset < 0 || block.Length < 0 || block.Offset > ParameterCount - block.Length)
            {
                throw new ArgumentException($"Block '{block.Name}' [{block.Offset}, {block.Offset + block.Length}) lies outside the {ParameterCount} parameters.", nameof(blocks));
            }

            if (!(float.IsFinite(block.LearningRateScale) && block.LearningRateScale >= 0f))
            {
                throw new ArgumentException($"Block '{block.Name}' has the learning-rate scale {block.LearningRateScale}; expected a finite value at least 0.", nameof(blocks));
            }

            for (int i = block.Offset; i < block.Offset + block.Length; i++)
            {
                if (covered[i])
                {
                    throw new ArgumentException($"Block '{block.Name}' overlaps another block at parameter {i}.", nameof(blocks));
                }

                covered[i] = true;
                scales[i] = block.LearningRateScale;
            }
        }

        var runs = new List<(int, int, float)>();
        for (int start = 0; start < ParameterCount;)
        {
            int end = start + 1;
            while (end < ParameterCount && scales[end] == scales[start])
            {
                end++;
            }

            runs.Add((start, end - start, scales[start]));
            start = end;
        }

        _scaleRuns = [.. runs];
    }

    /// <summary>Zeroes every state slot and <see cref="StepCount"/>.</summary>
    public void Reset()
    {
        for (int i = 0; i < StateNames.Count; i++)
        {
            GetStateCore(i).Clear();
        }

        _stepCount = 0;
    }

    /// <summary>The update of one run of elements that share a learning rate; arguments are validated.</summary>
    /// <param name="parameters">The run's parameters, updated in place.</param>
    /// <param name="gradients">The run's gradients, same length.</param>
    /// <param name="offset">Index of the run's first element among all parameters (where its state slots start).</param>
    /// <param name="rate">η for this run: the schedule's rate times the run's scale.</param>
    /// <param name="stepIndex">Zero-based index of this update (<see cref="StepCount"/> before it).</param>
    protected abstract void StepCore(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float rate, int stepIndex);

    /// <summary>The state slot <paramref name="index"/>; the index is validated.</summary>
    /// <param name="index">Slot index.</param>
    protected abstract Span<float> GetStateCore(int index);

    private void RequireLength(int actual, string parameterName)
    {
        if (actual != ParameterCount)
        {
            throw new ArgumentException($"Expected {ParameterCount} floats, got {actual}.", parameterName);
        }
    }
}
