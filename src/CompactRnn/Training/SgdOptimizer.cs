using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace CompactRnn.Training;

/// <summary>
/// Stochastic gradient descent with optional heavy-ball or Nesterov momentum and coupled (L2) weight
/// decay, following PyTorch's <c>torch.optim.SGD</c> with dampening 0:
/// <code>
/// g = ∇ + λ·θ                 (λ = weight decay)
/// v ← μ·v + g                 (μ = momentum; v starts at 0, so the first v equals g)
/// d = g + μ·v  (Nesterov)  or  d = v  (heavy ball)  or  d = g  (μ = 0)
/// θ ← θ − η·d
/// </code>
/// </summary>
/// <remarks>
/// Vectorised with <see cref="TensorPrimitives"/>: two to three in-place passes over the spans, no
/// temporaries. The algebraically equal form θ·(1 − ηλ) − η·∇ − ημ·v is used for the parameter update,
/// so results may differ from the three-line form in the last bit.
/// </remarks>
public sealed class SgdOptimizer : Optimizer
{
    private static readonly string[] MomentumStateNames = ["sgd.velocity"];

    private readonly float[] _velocity;

    /// <summary>Creates the optimiser; allocates the velocity slot only when <paramref name="momentum"/> &gt; 0.</summary>
    /// <param name="parameterCount">Length of the parameter and gradient spans; at least 1.</param>
    /// <param name="schedule">The learning-rate schedule.</param>
    /// <param name="momentum">μ in [0, 1).</param>
    /// <param name="nesterov">Use Nesterov momentum (Sutskever et al., 2013); needs μ &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0, added to the gradient as λ·θ.</param>
    public SgdOptimizer(int parameterCount, ILearningRateSchedule schedule, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
        : base(parameterCount, schedule)
    {
        if (!(momentum >= 0f && momentum < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must lie in [0, 1).");
        }

        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));
        }

        OptimizerArguments.RequireWeightDecay(weightDecay, nameof(weightDecay));
        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        _velocity = momentum > 0f ? new float[parameterCount] : [];
    }

    /// <summary>Creates the optimiser with a constant learning rate.</summary>
    /// <param name="parameterCount">Length of the parameter and gradient spans; at least 1.</param>
    /// <param name="learningRate">η; finite, at least 0.</param>
    /// <param name="momentum">μ in [0, 1).</param>
    /// <param name="nesterov">Use Nesterov momentum; needs μ &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0.</param>
    public SgdOptimizer(int parameterCount, float learningRate, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
        : this(parameterCount, new ConstantSchedule(learningRate), momentum, nesterov, weightDecay)
    {
    }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    public override string Kind => "sgd";

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateNames => Momentum > 0f ? MomentumStateNames : [];

    /// <inheritdoc/>
    protected override Span<float> GetStateCore(int index) => _velocity;

    /// <inheritdoc/>
    protected override void StepCore(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float rate, int stepIndex)
    {
        float lambda = WeightDecay;
        float mu = Momentum;
        if (mu == 0f)
        {
            ApplyWeightDecay(parameters, rate, lambda);
            TensorPrimitives.MultiplyAdd(gradients, -rate, parameters, parameters); // θ ← θ − η·∇
            return;
        }

        Span<float> velocity = _velocity.AsSpan(offset, parameters.Length);
        TensorPrimitives.MultiplyAdd(velocity, mu, gradients, velocity); // v ← μ·v + ∇
        if (lambda != 0f)
        {
            TensorPrimitives.MultiplyAdd(parameters, lambda, velocity, velocity); // v += λ·θ
        }

        if (Nesterov)
        {
            ApplyWeightDecay(parameters, rate, lambda);
            TensorPrimitives.MultiplyAdd(gradients, -rate, parameters, parameters); // θ −= η·∇
            TensorPrimitives.MultiplyAdd(velocity, -rate * mu, parameters, parameters); // θ −= η·μ·v
        }
        else
        {
            TensorPrimitives.MultiplyAdd(velocity, -rate, parameters, parameters); // θ ← θ − η·v
        }
    }

    /// <summary>θ ← θ·(1 − ηλ): the λ·θ part of g applied directly to θ.</summary>
    private static void ApplyWeightDecay(Span<float> parameters, float rate, float lambda)
    {
        if (lambda != 0f)
        {
            TensorPrimitives.Multiply(parameters, 1f - rate * lambda, parameters);
        }
    }
}
