namespace CompactRnn.Serialization;

/// <summary>A training checkpoint read by <see cref="CheckpointFile.Read"/>.</summary>
public sealed class Checkpoint
{
    internal Checkpoint(ModelFileContents model, byte[] trainerState, OptimizerState optimizer)
    {
        Model = model;
        TrainerState = trainerState;
        Optimizer = optimizer;
    }

    /// <summary>Kind tag, configuration and parameters, as in a model file.</summary>
    public ModelFileContents Model { get; }

    /// <summary>The opaque trainer state, exactly as written.</summary>
    public byte[] TrainerState { get; }

    /// <summary>The saved optimiser state (kind, step count, slots); restore it with <c>Optimizer.RestoreState</c>.</summary>
    public OptimizerState Optimizer { get; }
}
