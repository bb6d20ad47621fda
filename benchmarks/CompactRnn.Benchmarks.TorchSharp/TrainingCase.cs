using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CompactRnn.Benchmarks.TorchSharp;

/// <summary>
/// One TorchSharp training step, the same work as CompactRnn's <c>TrainingStepHarness</c>: forward over a
/// time-major batch [T, B, 40], softmax cross-entropy on every frame, backward through time, plain SGD.
/// </summary>
internal sealed class TrainingCase : IDisposable
{
    private const double LearningRate = 0.01;

    private readonly Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _inputs;
    private readonly Tensor _targets;
    private readonly int _classes;

    private TrainingCase(Module<Tensor, Tensor> model, int steps, int batch, int inputSize, int classes, int seed)
    {
        _model = model;
        _classes = classes;
        _optimizer = optim.SGD(model.parameters(), LearningRate);
        var generator = new Generator((ulong)seed);
        _inputs = rand(new long[] { steps, batch, inputSize }, generator: generator);
        _targets = randint(classes, new long[] { steps * batch }, generator: generator);
    }

    /// <summary>The case named <paramref name="name"/>: <c>lstm-h512</c> or <c>lstmp-h1024-p512-x3</c>.</summary>
    public static TrainingCase Create(string name, int steps, int batch, int inputSize, int classes, int seed)
    {
        manual_seed(seed);
        Module<Tensor, Tensor> model = name switch
        {
            "lstm-h512" => new LstmClassifier(inputSize, 512, classes),
            "lstmp-h1024-p512-x3" => new LstmpClassifier(inputSize, 1024, 512, 3, classes),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown training case."),
        };
        return new TrainingCase(model, steps, batch, inputSize, classes, seed);
    }

    /// <summary>The loss of the last step.</summary>
    public float LastLoss { get; private set; }

    /// <summary>One training step.</summary>
    public void Step()
    {
        using DisposeScope scope = NewDisposeScope();
        _optimizer.zero_grad();
        Tensor logits = _model.call(_inputs);
        Tensor loss = nn.functional.cross_entropy(logits.reshape(-1, _classes), _targets);
        loss.backward();
        _optimizer.step();
        LastLoss = loss.item<float>();
    }

    public void Dispose()
    {
        _model.Dispose();
        _inputs.Dispose();
        _targets.Dispose();
    }

    /// <summary>TorchSharp's native LSTM (one layer) and a linear output layer on every frame.</summary>
    private sealed class LstmClassifier : Module<Tensor, Tensor>
    {
        private readonly LSTM _lstm;
        private readonly Linear _output;

        public LstmClassifier(int inputSize, int hidden, int classes)
            : base(nameof(LstmClassifier))
        {
            _lstm = nn.LSTM(inputSize, hidden);
            _output = nn.Linear(hidden, classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            (Tensor output, _, _) = _lstm.call(input, null);
            return _output.call(output);
        }
    }

    /// <summary>
    /// LSTMP layers from TorchSharp's operators (it has no projected LSTM): per layer the input product of all frames
    /// as one matmul, then per frame <c>a = a_x + W_r r</c>, i, f, o = σ, g = tanh, c = f⊙c + i⊙g, m = o⊙tanh(c),
    /// r = W_p m; autograd records the loop. No peepholes and no clipping, as in the CompactRnn case.
    /// </summary>
    private sealed class LstmpClassifier : Module<Tensor, Tensor>
    {
        private readonly int _hidden;
        private readonly int _projection;
        private readonly ParameterList _weights = new();
        private readonly Linear _output;

        public LstmpClassifier(int inputSize, int hidden, int projection, int layers, int classes)
            : base(nameof(LstmpClassifier))
        {
            _hidden = hidden;
            _projection = projection;
            double bound = 1 / Math.Sqrt(hidden);
            for (int l = 0; l < layers; l++)
            {
                int input = l == 0 ? inputSize : projection;
                _weights.Add(new Parameter(empty(4 * hidden, input).uniform_(-bound, bound)));      // W_x
                _weights.Add(new Parameter(empty(4 * hidden, projection).uniform_(-bound, bound))); // W_r
                _weights.Add(new Parameter(zeros(4 * hidden)));                                     // b
                _weights.Add(new Parameter(empty(projection, hidden).uniform_(-bound, bound)));     // W_p
            }

            _output = nn.Linear(projection, classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            Tensor x = input;
            long steps = input.shape[0], batch = input.shape[1];
            for (int l = 0; l < _weights.Count / 4; l++)
            {
                Tensor wx = _weights[4 * l], wr = _weights[(4 * l) + 1], b = _weights[(4 * l) + 2], wp = _weights[(4 * l) + 3];
                Tensor inputProducts = matmul(x, wx.t()) + b; // [T, B, 4n]
                Tensor r = zeros(batch, _projection), c = zeros(batch, _hidden);
                var outputs = new List<Tensor>((int)steps);
                for (long t = 0; t < steps; t++)
                {
                    Tensor a = inputProducts[t] + mm(r, wr.t());
                    Tensor[] gates = a.chunk(4, 1);
                    Tensor i = sigmoid(gates[0]), f = sigmoid(gates[1]), g = tanh(gates[2]), o = sigmoid(gates[3]);
                    c = (f * c) + (i * g);
                    r = mm(o * tanh(c), wp.t());
                    outputs.Add(r);
                }

                x = stack(outputs);
            }

            return _output.call(x);
        }
    }
}
