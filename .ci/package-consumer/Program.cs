// A user's program: restores CompactRnn from the packed .nupkg, runs a forward pass and checks it.
using CompactRnn.Interop;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Onnx;

// README example (kept identical to README.md's usage block by a test).
// #region readme
var options = new LstmNetworkOptions
{
    InputSize = 40,                                   // 40 log-mel features per 10 ms frame
    Layers = NetworkSpec.Parse("toeplitz:r=8 x2 | shared-lowrank:k=64 x1",
        new LstmLayerOptions { HiddenSize = 256, Peepholes = true, CellClip = 50f }),
    OutputSize = 10,                                  // e.g. 10 classes
};
LstmModel model = LstmModel.CreateInitialized(options, seed: 1);
StreamingSession session = model.CreateSession();     // one per audio stream; the model is shared
float[] logits = new float[10];
session.Step(new float[40], logits);                  // one frame in, ten logits out, no allocation
Console.WriteLine($"{model.Network.ParameterCount:N0} parameters, {model.Network.DenseParameterCount:N0} if dense");
// #endregion

// README example (kept identical to README.md's forward-and-gradients block by a test).
// #region readme-gradients
var stack = new LstmNetwork(new LstmNetworkOptions
{
    InputSize = 40,                                   // nn.LSTM(40, hidden_size=128, num_layers=2, proj_size=64)
    Layers = NetworkSpec.Parse("dense x2", new LstmLayerOptions { HiddenSize = 128, ProjectionSize = 64 }),
});
float[] weights = new float[stack.ParameterCount];
stack.Initialize(weights, seed: 1);                   // or nn.LSTM weights via PyTorchLstmImporter
var lstm = new TorchLstm(stack, weights);             // batchFirst: true for [B, T, F]
var input = new PyTorchTensor([50, 8, 40], new float[50 * 8 * 40]);       // [T, B, F]
var h0 = new PyTorchTensor([2, 8, 64], new float[2 * 8 * 64]);           // [L, B, P]; null means zeros
var c0 = new PyTorchTensor([2, 8, 128], new float[2 * 8 * 128]);         // [L, B, H]
TorchLstmPass pass = lstm.Forward(input, h0, c0);     // pass.Output [50, 8, 64], pass.HN [2, 8, 64], pass.CN [2, 8, 128]
TorchLstmGradients grads = pass.Backward(dOutput: pass.Output, dHN: null, dCN: pass.CN); // L = ½‖output‖² + ½‖c_n‖²
PyTorchTensor dW = grads["weight_hh_l1"];             // [512, 64]; also weight_ih_l0, bias_ih_l0 (= bias_hh_l0), weight_hr_l1
Console.WriteLine($"dL/dinput {grads.Input.ShapeText}, dL/dh0 {grads.H0.ShapeText}, dL/dc0 {grads.C0.ShapeText}, dL/dW_hh1 {dW.ShapeText}");
// #endregion

// Check 0: ∂L/∂c0 of the README example against a central difference in c0 (L = ½‖output‖² + ½‖c_n‖²).
for (int i = 0; i < input.Data.Length; i++)
{
    input.Data[i] = MathF.Sin(i * 0.37f);
}

for (int i = 0; i < c0.Data.Length; i++)
{
    c0.Data[i] = 0.5f * MathF.Cos(i * 0.11f);
}

pass = lstm.Forward(input, h0, c0);
grads = pass.Backward(dOutput: pass.Output, dHN: null, dCN: pass.CN);
double GradientLoss(PyTorchTensor c)
{
    TorchLstmPass p = lstm.Forward(input, h0, c);
    return 0.5 * (p.Output.Data.Sum(v => (double)v * v) + p.CN.Data.Sum(v => (double)v * v));
}

for (int probe = 0; probe < c0.Data.Length; probe += 97)
{
    float saved = c0.Data[probe];
    c0.Data[probe] = saved + 1e-2f;
    double plus = GradientLoss(c0);
    c0.Data[probe] = saved - 1e-2f;
    double minus = GradientLoss(c0);
    c0.Data[probe] = saved;
    double numeric = (plus - minus) / 2e-2;
    if (Math.Abs(numeric - grads.C0.Data[probe]) > 1e-3 + (2e-2 * Math.Abs(numeric)))
    {
        Console.Error.WriteLine($"FAIL: dL/dc0[{probe}] {grads.C0.Data[probe]} vs finite difference {numeric}");
        return 1;
    }
}

// Check 1: streaming equals whole-sequence inference.
const int steps = 12;
float[] inputs = Enumerable.Range(0, steps * 40).Select(i => MathF.Sin(i * 0.1f)).ToArray();
float[] batch = new float[steps * 10];
model.Infer(inputs, steps, 1, [], batch);
session.Reset();
for (int t = 0; t < steps; t++)
{
    session.Step(inputs.AsSpan(t * 40, 40), logits);
    for (int k = 0; k < 10; k++)
    {
        if (Math.Abs(logits[k] - batch[(t * 10) + k]) > 1e-5f * Math.Max(1f, Math.Abs(logits[k])) || !float.IsFinite(logits[k]))
        {
            Console.Error.WriteLine($"FAIL: step {t} class {k}: streaming {logits[k]} vs batch {batch[(t * 10) + k]}");
            return 1;
        }
    }
}

// Check 2: a one-cell LSTM with hand-set weights against the equations computed here.
var tiny = new LstmNetwork(new LstmNetworkOptions { InputSize = 1, Layers = [new LstmLayerOptions { HiddenSize = 1 }] });
float[] p = [0.5f, -0.25f, 0.75f, 1.0f,   0.1f, 0.2f, -0.3f, 0.4f,   0.05f, 0.1f, 0.0f, -0.1f]; // W_x (i,f,g,o), W_r, b
var tinyModel = new LstmModel(tiny, p);
float[] h = new float[2];
tinyModel.Infer([1.0f, -2.0f], 2, 1, [], h);
double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
double r = 0, c = 0;
foreach (var (x, t) in new[] { (1.0, 0), (-2.0, 1) })
{
    double i = Sigmoid((0.5 * x) + (0.1 * r) + 0.05), f = Sigmoid((-0.25 * x) + (0.2 * r) + 0.1);
    double g = Math.Tanh((0.75 * x) - (0.3 * r)), o = Sigmoid((1.0 * x) + (0.4 * r) - 0.1);
    c = (f * c) + (i * g);
    r = o * Math.Tanh(c);
    if (Math.Abs(r - h[t]) > 1e-6)
    {
        Console.Error.WriteLine($"FAIL: tiny LSTM step {t}: expected {r}, got {h[t]}");
        return 1;
    }
}

// Check 3: the CompactRnn.Onnx package exports the model (a ModelProto starts with field 1, ir_version).
byte[] onnx = OnnxExporter.Export(model);
if (onnx.Length < 4 * model.Network.ParameterCount || onnx[0] != 0x08)
{
    Console.Error.WriteLine($"FAIL: ONNX export of {onnx.Length} bytes");
    return 1;
}

Console.WriteLine("package consumer: OK");
return 0;
