using System;
using System.Collections.Generic;
using System.Numerics;

namespace CompactRnn.Training;

/// <summary>
/// Adam (Kingma and Ba, 2015) with bias correction, and AdamW (Loshchilov and Hutter, 2019) when weight
/// decay is decoupled; the update follows PyTorch's <c>torch.optim.Adam</c> / <c>AdamW</c>:
/// <code>
/// t = step + 1
/// g = ∇ + λ·θ                        (Adam, coupled L2;  g = ∇ for AdamW)
/// θ ← θ·(1 − η·λ)                    (AdamW only, before the moment update is applied)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
/// <remarks>
/// One fused pass per step with <see cref="Vector{T}"/> and a scalar tail that performs the same float
/// operations in the same order (no fused multiply-add), so every element gets the same result whichever
/// path handles it. The bias corrections are computed in double and rounded once.
/// </remarks>
public sealed class AdamOptimizer : Optimizer
{
    private static readonly string[] AdamStateNames = ["adam.m", "adam.v"];

    private readonly float[] _firstMoment;
    private readonly float[] _secondMoment;

    /// <summary>Creates the optimiser and allocates its two moment slots.</summary>
    /// <param name="parameterCount">Length of the parameter and gradient spans; at least 1.</param>
    /// <param name="schedule">The learning-rate schedule.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0, finite.</param>
    /// <param name="weightDecay">λ ≥ 0.</param>
    /// <param name="decoupledWeightDecay">true for AdamW (θ·(1 − ηλ)), false for Adam with L2 (∇ + λθ).</param>
    public AdamOptimizer(
        int parameterCount,
        ILearningRateSchedule schedule,
        float beta1 = 0.9f,
        float beta2 = 0.999f,
        float epsilon = 1e-8f,
        float weightDecay = 0f,
        bool decoupledWeightDecay = false)
        : base(parameterCount, schedule)
    {
        OptimizerArguments.RequireBeta(beta1, nameof(beta1));
        OptimizerArguments.RequireBeta(beta2, nameof(beta2));
        if (!(float.IsFinite(epsilon) && epsilon > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be finite and above 0.");
        }

        OptimizerArguments.RequireWeightDecay(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        DecoupledWeightDecay = decoupledWeightDecay;
        _firstMoment = new float[parameterCount];
        _secondMoment = new float[parameterCount];
    }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }

    /// <summary>β₂.</summary>
    public float Beta2 { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>true for AdamW.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <inheritdoc/>
    public override string Kind => DecoupledWeightDecay ? "adamw" : "adam";

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateNames => AdamStateNames;

    /// <inheritdoc/>
    protected override Span<float> GetStateCore(int index) => index == 0 ? _firstMoment : _secondMoment;

    /// <inheritdoc/>
    protected override void StepCore(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float rate, int stepIndex)
    {
        double t = stepIndex + 1.0;
        double biasCorrection1 = 1.0 - Math.Pow(Beta1, t);
        double biasCorrection2 = 1.0 - Math.Pow(Beta2, t);
        var coefficients = new Coefficients
        {
            Beta1 = Beta1,
            OneMinusBeta1 = 1f - Beta1,
            Beta2 = Beta2,
            OneMinusBeta2 = 1f - Beta2,
            Epsilon = Epsilon,
            CoupledDecay = DecoupledWeightDecay ? 0f : WeightDecay,
            DecoupledFactor = DecoupledWeightDecay ? (float)(1.0 - (double)rate * WeightDecay) : 1f,
            StepSize = (float)(rate / biasCorrection1),
            InverseSqrtBiasCorrection2 = (float)(1.0 / Math.Sqrt(biasCorrection2)),
        };
        Update(parameters, gradients, _firstMoment.AsSpan(offset, parameters.Length), _secondMoment.AsSpan(offset, parameters.Length), coefficients);
    }

    /// <summary>The fused update over all elements; see the class summary for the equations.</summary>
    private static void Update(Span<float> theta, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, in Coefficients c)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && theta.Length >= Vector<float>.Count)
        {
            var beta1 = new Vector<float>(c.Beta1);
            var oneMinusBeta1 = new Vector<float>(c.OneMinusBeta1);
            var beta2 = new Vector<float>(c.Beta2);
            var oneMinusBeta2 = new Vector<float>(c.OneMinusBeta2);
            var epsilon = new Vector<float>(c.Epsilon);
            var coupledDecay = new Vector<float>(c.CoupledDecay);
            var decoupledFactor = new Vector<float>(c.DecoupledFactor);
            var stepSize = new Vector<float>(c.StepSize);
            var inverseSqrtBc2 = new Vector<float>(c.InverseSqrtBiasCorrection2);
            for (int last = theta.Length - Vector<float>.Count; i <= last; i += Vector<float>.Count)
            {
                var p = new Vector<float>(theta[i..]);
                var g = new Vector<float>(gradient[i..]) + coupledDecay * p;                        // g = ∇ + λθ
                var mNew = beta1 * new Vector<float>(m[i..]) + oneMinusBeta1 * g;                  // m ← β₁m + (1−β₁)g
                var vNew = beta2 * new Vector<float>(v[i..]) + oneMinusBeta2 * (g * g);            // v ← β₂v + (1−β₂)g²
                var denominator = Vector.SquareRoot(vNew) * inverseSqrtBc2 + epsilon;              // √v̂ + ε
                p = p * decoupledFactor - stepSize * mNew / denominator;                           // θ ← θ(1−ηλ) − η m̂ / (√v̂ + ε)
                mNew.CopyTo(m[i..]);
                vNew.CopyTo(v[i..]);
                p.CopyTo(theta[i..]);
            }
        }

        for (; i < theta.Length; i++)
        {
            float p = theta[i];
            float g = gradient[i] + c.CoupledDecay * p;
            float mNew = c.Beta1 * m[i] + c.OneMinusBeta1 * g;
            float vNew = c.Beta2 * v[i] + c.OneMinusBeta2 * (g * g);
            float denominator = MathF.Sqrt(vNew) * c.InverseSqrtBiasCorrection2 + c.Epsilon;
            m[i] = mNew;
            v[i] = vNew;
            theta[i] = p * c.DecoupledFactor - c.StepSize * mNew / denominator;
        }
    }

    /// <summary>Per-step scalars of the update, rounded to float once.</summary>
    private readonly struct Coefficients
    {
        public float Beta1 { get; init; }

        public float OneMinusBeta1 { get; init; }

        public float Beta2 { get; init; }

        public float OneMinusBeta2 { get; init; }

        public float Epsilon { get; init; }

        public float CoupledDecay { get; init; }

        public float DecoupledFactor { get; init; }

        public float StepSize { get; init; }

        public float InverseSqrtBiasCorrection2 { get; init; }
    }
}
