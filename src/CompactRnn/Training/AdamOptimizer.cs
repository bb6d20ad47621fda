using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using CompactRnn.Kernels;

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
/// One fused pass per step over the SIMD lanes (<see cref="ILanes{TV}"/>, widest accelerated width) and a scalar tail that performs the same float
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
    /// <remarks>Element-wise with separate multiplies and adds (no fused multiply-add), so every width gives the scalar
    /// lane's bits: the widest accelerated width runs the body, <see cref="Lanes1"/> the tail.</remarks>
    private static void Update(Span<float> theta, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, in Coefficients c)
    {
        int i = 0;
        if (Lanes512.IsAccelerated)
        {
            i = UpdateLanes<Lanes512, Vector512<float>>(theta, gradient, m, v, c, i);
        }
        else if (Lanes256.IsAccelerated)
        {
            i = UpdateLanes<Lanes256, Vector256<float>>(theta, gradient, m, v, c, i);
        }
        else if (Lanes128.IsAccelerated)
        {
            i = UpdateLanes<Lanes128, Vector128<float>>(theta, gradient, m, v, c, i);
        }

        UpdateLanes<Lanes1, float>(theta, gradient, m, v, c, i);
    }

    /// <summary>The update from <paramref name="start"/> on, <c>TL.Count</c> elements at a time; returns where it stopped.</summary>
    private static int UpdateLanes<TL, TV>(Span<float> theta, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, in Coefficients c, int start)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        TV beta1 = TL.Broadcast(c.Beta1), oneMinusBeta1 = TL.Broadcast(c.OneMinusBeta1);
        TV beta2 = TL.Broadcast(c.Beta2), oneMinusBeta2 = TL.Broadcast(c.OneMinusBeta2);
        TV epsilon = TL.Broadcast(c.Epsilon), coupledDecay = TL.Broadcast(c.CoupledDecay), decoupledFactor = TL.Broadcast(c.DecoupledFactor);
        TV stepSize = TL.Broadcast(c.StepSize), inverseSqrtBc2 = TL.Broadcast(c.InverseSqrtBiasCorrection2);
        int i = start;
        for (int last = theta.Length - TL.Count; i <= last; i += TL.Count)
        {
            TV p = TL.Load(theta, i);
            TV g = TL.Add(TL.Load(gradient, i), TL.Multiply(coupledDecay, p));                                  // g = ∇ + λθ
            TV mNew = TL.Add(TL.Multiply(beta1, TL.Load(m, i)), TL.Multiply(oneMinusBeta1, g));                 // m ← β₁m + (1−β₁)g
            TV vNew = TL.Add(TL.Multiply(beta2, TL.Load(v, i)), TL.Multiply(oneMinusBeta2, TL.Multiply(g, g))); // v ← β₂v + (1−β₂)g²
            TV denominator = TL.Add(TL.Multiply(TL.SquareRoot(vNew), inverseSqrtBc2), epsilon);               // √v̂ + ε
            p = TL.Subtract(TL.Multiply(p, decoupledFactor), TL.Divide(TL.Multiply(stepSize, mNew), denominator)); // θ ← θ(1−ηλ) − η m̂ / (√v̂ + ε)
            TL.Store(mNew, m, i);
            TL.Store(vNew, v, i);
            TL.Store(p, theta, i);
        }

        return i;
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
