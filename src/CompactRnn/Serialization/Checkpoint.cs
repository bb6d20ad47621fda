using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Training;

namespace CompactRnn.Serialization;

/// <summary>A training checkpoint read by <see cref="CheckpointFile.Read"/>.</summary>
public sealed class Checkpoint
{
    private readonly IReadOnlyList<KeyValuePair<string, float[]>> _optimizerState;

    internal Checkpoint(ModelFileContents model, byte[] trainerState, string optimizerKind, int optimizerStepCount, IReadOnlyList<KeyValuePair<string, float[]>> optimizerState,
        float[]? bestParameters)
    {
        Model = model;
        BestParameters = bestParameters;
        TrainerState = trainerState;
        OptimizerKind = optimizerKind;
        OptimizerStepCount = optimizerStepCount;
        _optimizerState = optimizerState;
    }

    /// <summary>Kind tag, configuration and parameters, as in a model file.</summary>
    public ModelFileContents Model { get; }

    /// <summary>The parameters of the best epoch so far (by validation loss), or null when none were saved.</summary>
    public float[]? BestParameters { get; }

    /// <summary>The opaque trainer state, exactly as written.</summary>
    public byte[] TrainerState { get; }

    /// <summary>The saved optimiser's <see cref="Optimizer.Kind"/>.</summary>
    public string OptimizerKind { get; }

    /// <summary>The saved optimiser's <see cref="Optimizer.StepCount"/>.</summary>
    public int OptimizerStepCount { get; }

    /// <summary>The saved state slot names, in the optimiser's order.</summary>
    public IReadOnlyList<string> OptimizerStateNames => [.. _optimizerState.Select(pair => pair.Key)];

    /// <summary>The saved values of the state slot <paramref name="name"/>.</summary>
    /// <param name="name">A name from <see cref="OptimizerStateNames"/>.</param>
    public ReadOnlySpan<float> GetOptimizerState(string name)
    {
        foreach (KeyValuePair<string, float[]> pair in _optimizerState)
        {
            if (string.Equals(pair.Key, name, StringComparison.Ordinal))
            {
                return pair.Value;
            }
        }

        throw new ArgumentException($"The checkpoint has no optimiser state '{name}'.", nameof(name));
    }

    /// <summary>
    /// Copies the saved step count and state slots into <paramref name="optimizer"/>, after checking that
    /// it is the same algorithm with the same slots for the same number of parameters.
    /// </summary>
    /// <param name="optimizer">A freshly built optimiser of the saved kind and size.</param>
    public void RestoreOptimizer(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!string.Equals(optimizer.Kind, OptimizerKind, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The checkpoint holds '{OptimizerKind}' optimiser state; the given optimiser is '{optimizer.Kind}'.", nameof(optimizer));
        }

        if (optimizer.ParameterCount != Model.Parameters.Length)
        {
            throw new ArgumentException($"The checkpoint has {Model.Parameters.Length} parameters; the optimiser was built for {optimizer.ParameterCount}.", nameof(optimizer));
        }

        if (!optimizer.StateNames.SequenceEqual(_optimizerState.Select(pair => pair.Key), StringComparer.Ordinal))
        {
            throw new ArgumentException($"The checkpoint's optimiser slots [{string.Join(", ", OptimizerStateNames)}] differ from the optimiser's [{string.Join(", ", optimizer.StateNames)}].", nameof(optimizer));
        }

        for (int i = 0; i < _optimizerState.Count; i++)
        {
            _optimizerState[i].Value.CopyTo(optimizer.GetState(i));
        }

        optimizer.StepCount = OptimizerStepCount;
    }
}
