#!/usr/bin/python3
"""Generate golden PyTorch nn.LSTM fixtures for the CompactRnn parity tests.

Run from the repository root with Debian's interpreter and python3-torch:

    /usr/bin/python3 tools/pytorch-fixtures/make_fixtures.py

It writes one JSON file per case into tests/CompactRnn.Tests/Fixtures/PyTorch/ and prints a
summary. The output is byte-for-byte reproducible (fixed seed per case, CPU, one thread).

Precision policy (see README.md):
  * Every *input* of the computation (weights, biases, input sequence, h0, c0, the loss weights
    R_*) is drawn in float32 and stored as its exact float32 value, so a float32 consumer loads
    exactly the numbers PyTorch used.
  * Every *result* (output, h_n, c_n, loss, all gradients) is computed in float64 from those
    float32-exact inputs and stored as float64, i.e. it is the exact answer up to ~1e-15, not a
    float32 approximation. A float32 run of the same model is also compared against it here to
    show that a 1e-5 tolerance is achievable in float32.

Checks performed on every run (the script exits non-zero if any fails):
  1. An explicit, loop-by-loop re-implementation of the documented equations (gate order i, f, g, o,
     folded bias b_ih + b_hh, projection h = W_hr (o * tanh c)) reproduces nn.LSTM's outputs.
  2. torch.autograd.gradcheck of the loss w.r.t. input, h0, c0 and every weight, in float64.
  3. Autograd gradients of the explicit re-implementation equal nn.LSTM's.
  4. float32 nn.LSTM vs the float64 reference: max abs difference printed and asserted < 1e-5.
"""

import json
import os
import sys

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

FORMAT_NAME = "compactrnn-pytorch-lstm-fixture"
FORMAT_VERSION = 1
BASE_SEED = 20161
OUTPUT_DIR = os.path.join("tests", "CompactRnn.Tests", "Fixtures", "PyTorch")
FLOAT32_TOLERANCE = 1e-5

LOSS_DESCRIPTION = (
    "L = sum(output * R_output) + sum(h_n * R_h_n) + sum(c_n * R_c_n); "
    "grad.<name> = dL/d<name>"
)

# name, input_size, hidden_size, proj_size, num_layers, seq_len, batch, lengths (None = all full)
CASES = [
    ("lstm_l1", 5, 7, 0, 1, 6, 2, None),
    ("lstm_l3", 5, 7, 0, 3, 6, 2, None),
    ("lstmp_l1", 5, 7, 3, 1, 6, 2, None),
    ("lstmp_l3", 5, 7, 3, 3, 6, 2, None),
    ("lstmp_l2_varlen", 5, 7, 3, 2, 6, 3, [4, 6, 1]),
]


def build_case(index, name, input_size, hidden_size, proj_size, num_layers, seq_len, batch, lengths):
    """Draw a model and its inputs deterministically; everything float32 at this point."""
    torch.manual_seed(BASE_SEED + index)
    lstm = nn.LSTM(
        input_size=input_size,
        hidden_size=hidden_size,
        num_layers=num_layers,
        bias=True,
        batch_first=False,
        dropout=0.0,
        bidirectional=False,
        proj_size=proj_size,
    )
    # PyTorch's default init is U(-1/sqrt(H), 1/sqrt(H)); widen it a little so gates leave the
    # linear region of the sigmoid/tanh and the test exercises real non-linearity.
    with torch.no_grad():
        for parameter in lstm.parameters():
            parameter.mul_(1.5)
    out_size = proj_size if proj_size > 0 else hidden_size
    inputs = {
        "input": torch.randn(seq_len, batch, input_size),
        "h0": 0.5 * torch.randn(num_layers, batch, out_size),
        "c0": 0.5 * torch.randn(num_layers, batch, hidden_size),
        "R_output": torch.randn(seq_len, batch, out_size),
        "R_h_n": torch.randn(num_layers, batch, out_size),
        "R_c_n": torch.randn(num_layers, batch, hidden_size),
    }
    if lengths is not None:
        mask = torch.zeros(seq_len, batch)
        for b, length in enumerate(lengths):
            mask[:length, b] = 1.0
        # Padded input frames must not influence anything; fill them with zeros so a consumer that
        # (wrongly) reads them is not rescued by luck and a correct one is unaffected.
        inputs["input"] = inputs["input"] * mask.unsqueeze(-1)
    return lstm, inputs


def run_lstm(lstm, x, h0, c0, lengths):
    """nn.LSTM forward; variable lengths go through a packed sequence, padded outputs are zero."""
    if lengths is None:
        return lstm(x, (h0, c0))
    packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=False, enforce_sorted=False)
    packed_output, (h_n, c_n) = lstm(packed, (h0, c0))
    output, _ = pad_packed_sequence(packed_output, batch_first=False, total_length=x.shape[0])
    return output, (h_n, c_n)


def reference_lstm(weights, x, h0, c0, num_layers, proj_size, lengths):
    """The documented equations, written out step by step (independent of nn.LSTM's kernels).

    Per layer k and step t, with the stacked gate block in order i, f, g, o:
        a   = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh          (4H)
        i = sigmoid(a[0:H]); f = sigmoid(a[H:2H]); g = tanh(a[2H:3H]); o = sigmoid(a[3H:4H])
        c_t = f * c_{t-1} + i * g
        h_t = o * tanh(c_t)                                   (no projection)
        h_t = W_hr (o * tanh(c_t))                            (with projection)
    For sequence b, steps t >= lengths[b] keep the state unchanged and produce output 0.
    """
    seq_len, batch, _ = x.shape
    layer_input = x
    h_finals, c_finals = [], []
    for k in range(num_layers):
        w_ih, w_hh = weights[f"weight_ih_l{k}"], weights[f"weight_hh_l{k}"]
        bias = weights[f"bias_ih_l{k}"] + weights[f"bias_hh_l{k}"]
        hidden = w_hh.shape[0] // 4
        h, c = h0[k], c0[k]
        outputs = []
        for t in range(seq_len):
            a = layer_input[t] @ w_ih.T + h @ w_hh.T + bias
            input_gate = torch.sigmoid(a[:, 0 * hidden:1 * hidden])
            forget_gate = torch.sigmoid(a[:, 1 * hidden:2 * hidden])
            cell_candidate = torch.tanh(a[:, 2 * hidden:3 * hidden])
            output_gate = torch.sigmoid(a[:, 3 * hidden:4 * hidden])
            c_new = forget_gate * c + input_gate * cell_candidate
            h_new = output_gate * torch.tanh(c_new)
            if proj_size > 0:
                h_new = h_new @ weights[f"weight_hr_l{k}"].T
            if lengths is not None:
                valid = torch.tensor([[1.0 if t < n else 0.0] for n in lengths], dtype=x.dtype)
                c_new = valid * c_new + (1 - valid) * c
                h_new = valid * h_new + (1 - valid) * h
                outputs.append(valid * h_new)
            else:
                outputs.append(h_new)
            h, c = h_new, c_new
        layer_input = torch.stack(outputs)
        h_finals.append(h)
        c_finals.append(c)
    return layer_input, (torch.stack(h_finals), torch.stack(c_finals))


def loss_of(output, h_n, c_n, inputs):
    return (output * inputs["R_output"]).sum() + (h_n * inputs["R_h_n"]).sum() + (c_n * inputs["R_c_n"]).sum()


def forward_and_gradients(lstm, inputs, lengths, dtype):
    """Forward + backward of the loss in the given dtype on a copy of the model."""
    model = nn.LSTM(lstm.input_size, lstm.hidden_size, lstm.num_layers, proj_size=lstm.proj_size).to(dtype)
    model.load_state_dict(lstm.state_dict())
    x = inputs["input"].to(dtype).clone().requires_grad_(True)
    h0 = inputs["h0"].to(dtype).clone().requires_grad_(True)
    c0 = inputs["c0"].to(dtype).clone().requires_grad_(True)
    cast = {key: value.to(dtype) for key, value in inputs.items()}
    output, (h_n, c_n) = run_lstm(model, x, h0, c0, lengths)
    loss = loss_of(output, h_n, c_n, cast)
    loss.backward()
    results = {"output": output, "h_n": h_n, "c_n": c_n, "loss": loss.reshape(1)}
    grads = {"grad.input": x.grad, "grad.h0": h0.grad, "grad.c0": c0.grad}
    for name, parameter in model.named_parameters():
        grads[f"grad.{name}"] = parameter.grad
    return model, results, grads


def check_gradcheck(model, inputs, lengths, grads):
    """torch.autograd.gradcheck of the scalar loss w.r.t. input, h0, c0 and every parameter (float64).

    nn.LSTM reads its weights from the private list `_flat_weights` (torch 1.13's functional_call
    does not reach it), so the leaves are swapped into that list for the duration of the check.
    The analytic gradients through the swapped leaves are compared with the stored ones first, so
    the check cannot pass vacuously if the swap ever stops driving the computation.
    """
    names = list(model._flat_weights_names)
    parameters = dict(model.named_parameters())
    leaves = [inputs["input"].double(), inputs["h0"].double(), inputs["c0"].double()]
    leaves += [parameters[name].detach().double() for name in names]
    leaves = [leaf.clone().requires_grad_(True) for leaf in leaves]
    cast = {key: value.double() for key, value in inputs.items()}
    saved = model._flat_weights

    def loss_function(x, h0, c0, *weights):
        model._flat_weights = list(weights)
        try:
            output, (h_n, c_n) = run_lstm(model, x, h0, c0, lengths)
        finally:
            model._flat_weights = saved
        return loss_of(output, h_n, c_n, cast)

    analytic = torch.autograd.grad(loss_function(*leaves), leaves)
    keys = ["grad.input", "grad.h0", "grad.c0"] + [f"grad.{name}" for name in names]
    routed = max((a - grads[key]).abs().max().item() for a, key in zip(analytic, keys))
    passed = torch.autograd.gradcheck(loss_function, tuple(leaves), eps=1e-6, atol=1e-7, rtol=1e-5)
    return passed and routed < 1e-12


def check_reference(model, inputs, lengths, results, grads):
    """Explicit equations vs nn.LSTM: values and autograd gradients (float64). Returns max abs diff."""
    weights = {name: p.detach().double().clone().requires_grad_(True) for name, p in model.named_parameters()}
    x = inputs["input"].double().clone().requires_grad_(True)
    h0 = inputs["h0"].double().clone().requires_grad_(True)
    c0 = inputs["c0"].double().clone().requires_grad_(True)
    cast = {key: value.double() for key, value in inputs.items()}
    output, (h_n, c_n) = reference_lstm(weights, x, h0, c0, model.num_layers, model.proj_size, lengths)
    loss = loss_of(output, h_n, c_n, cast)
    loss.backward()
    mine = {"output": output, "h_n": h_n, "c_n": c_n, "grad.input": x.grad, "grad.h0": h0.grad, "grad.c0": c0.grad}
    for name, weight in weights.items():
        mine[f"grad.{name}"] = weight.grad
    theirs = dict(results)
    theirs.update(grads)
    return max((mine[key].detach() - theirs[key].detach()).abs().max().item() for key in mine)


def tensor_entry(tensor, float32_exact):
    """{"shape": [...], "data": [...]} with data flattened row-major (C order)."""
    values = tensor.detach().contiguous()
    if float32_exact:
        values = values.float()
        assert torch.equal(values.double(), tensor.detach().double()), "value is not float32-exact"
    flat = [float(v) for v in values.double().reshape(-1).tolist()]
    return {"shape": list(values.shape), "data": flat}


def write_fixture(path, document):
    """Pretty at the top level, one line per tensor, so diffs stay readable and files small."""
    lines = ["{"]
    lines.append(f'  "format": {json.dumps(document["format"])},')
    lines.append(f'  "version": {json.dumps(document["version"])},')
    lines.append(f'  "meta": {json.dumps(document["meta"], sort_keys=True)},')
    lines.append(f'  "config": {json.dumps(document["config"])},')
    lines.append('  "tensors": {')
    entries = [f"    {json.dumps(name)}: {json.dumps(entry)}" for name, entry in document["tensors"].items()]
    lines.append(",\n".join(entries))
    lines.append("  }")
    lines.append("}")
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    os.replace(temporary, path)


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    failures = 0
    print(f"torch {torch.__version__}; writing to {OUTPUT_DIR}")
    for index, (name, input_size, hidden_size, proj_size, num_layers, seq_len, batch, lengths) in enumerate(CASES):
        lstm, inputs = build_case(index, name, input_size, hidden_size, proj_size, num_layers, seq_len, batch, lengths)
        model64, results, grads = forward_and_gradients(lstm, inputs, lengths, torch.float64)
        _, results32, grads32 = forward_and_gradients(lstm, inputs, lengths, torch.float32)

        reference_diff = check_reference(model64, inputs, lengths, results, grads)
        gradcheck_ok = check_gradcheck(model64, inputs, lengths, grads)
        float32_diff = max(
            (results32[key].double() - results[key]).abs().max().item() for key in ("output", "h_n", "c_n")
        )
        float32_grad_diff = max((grads32[key].double() - grads[key]).abs().max().item() for key in grads)

        config = {
            "input_size": input_size,
            "hidden_size": hidden_size,
            "proj_size": proj_size,
            "num_layers": num_layers,
            "seq_len": seq_len,
            "batch": batch,
            "output_size": proj_size if proj_size > 0 else hidden_size,
            "bias": True,
            "batch_first": False,
            "bidirectional": False,
            "dropout": 0.0,
            "lengths": lengths if lengths is not None else [seq_len] * batch,
            "gate_order": ["i", "f", "g", "o"],
        }
        meta = {
            "generator": "tools/pytorch-fixtures/make_fixtures.py",
            "torch_version": torch.__version__,
            "seed": BASE_SEED + index,
            "inputs_precision": "float32-exact",
            "results_precision": "float64",
            "loss": LOSS_DESCRIPTION,
            "layout": "row-major (C order), sequence-major: input/output [seq_len, batch, features]",
        }
        tensors = {}
        for parameter_name, parameter in lstm.named_parameters():
            tensors[parameter_name] = tensor_entry(parameter, float32_exact=True)
        for key in ("input", "h0", "c0"):
            tensors[key] = tensor_entry(inputs[key], float32_exact=True)
        for key in ("output", "h_n", "c_n"):
            tensors[key] = tensor_entry(results[key], float32_exact=False)
        for key in ("R_output", "R_h_n", "R_c_n"):
            tensors[key] = tensor_entry(inputs[key], float32_exact=True)
        tensors["loss"] = tensor_entry(results["loss"], float32_exact=False)
        for key, gradient in grads.items():
            tensors[key] = tensor_entry(gradient, float32_exact=False)

        document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "meta": meta, "config": config, "tensors": tensors}
        path = os.path.join(OUTPUT_DIR, f"{name}.json")
        write_fixture(path, document)

        ok = gradcheck_ok and reference_diff < 1e-12 and float32_diff < FLOAT32_TOLERANCE and float32_grad_diff < FLOAT32_TOLERANCE
        failures += 0 if ok else 1
        print(
            f"{'OK  ' if ok else 'FAIL'} {name:16s} layers={num_layers} in={input_size} H={hidden_size} "
            f"proj={proj_size} T={seq_len} B={batch} lengths={config['lengths']} "
            f"loss={results['loss'].item():+.6f} | gradcheck={gradcheck_ok} "
            f"explicit-vs-nn.LSTM={reference_diff:.1e} float32-vs-float64 values={float32_diff:.1e} "
            f"grads={float32_grad_diff:.1e} | {os.path.getsize(path)} bytes, {len(tensors)} tensors"
        )
    if failures:
        print(f"{failures} case(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
