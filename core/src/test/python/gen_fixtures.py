#!/usr/bin/env python3
"""Writes PyTorch reference fixtures for Treeprop's image layers into core/src/test/resources/fixtures.

Each fixture is one JSON file: the layer spec (Treeprop's JSON), the input shape [c, h, w], the batch size, and
flat row-major float lists: x [batch, c*h*w] (NCHW per row), params (W as [f, c, kh, kw] for conv2d, [c, f, kh, kw]
for conv2d_transpose, then b; Treeprop's layout, which is PyTorch's), y = layer(x), dy (a random upstream gradient), and the gradients of sum(y * dy): dx and dparams.
Batch-norm fixtures add the initial state (running mean then variance), warm-up batches run in training mode
before x, the state after x (newState) and the inference-mode output on x with that state (yEval).
Inputs are rounded to float32; the reference is computed in float64.

Not run by the build or CI. Regenerate (Debian: apt-get install python3-torch) with
    /usr/bin/python3 core/src/test/python/gen_fixtures.py
and commit the changed files.
"""
import json
import os
import zlib

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures")
BATCH = 3


def f32(t):
    return t.float().double()


def flat(t):
    return [float(v) for v in t.detach().double().reshape(-1).tolist()]


def pair(v):
    return v if isinstance(v, (list, tuple)) else [v, v]


def conv(name, c, h, w, filters, kernel, stride=1, padding=0, bias=True):
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    kh, kw = pair(kernel)
    x = f32(torch.randn(BATCH, c, h, w, generator=g)).requires_grad_()
    wt = f32(torch.randn(filters, c, kh, kw, generator=g) * 0.5).requires_grad_()
    b = f32(torch.randn(filters, generator=g)).requires_grad_() if bias else None
    pad = (pair(kernel)[0] // 2, pair(kernel)[1] // 2) if padding == "same" else tuple(pair(padding))
    y = F.conv2d(x, wt, b, stride=tuple(pair(stride)), padding=pad)
    dy = f32(torch.randn(y.shape, generator=g))
    (y * dy).sum().backward()
    spec = {"type": "conv2d", "filters": filters, "kernel": kernel, "stride": stride, "padding": padding,
            "bias": bias}
    params = flat(wt) + (flat(b) if bias else [])
    dparams = flat(wt.grad) + (flat(b.grad) if bias else [])
    write(name, spec, [c, h, w], x, params, y, dy, dparams)


def conv_transpose(name, c, h, w, filters, kernel, stride=1, padding=0, output_padding=0, bias=True):
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    kh, kw = pair(kernel)
    x = f32(torch.randn(BATCH, c, h, w, generator=g)).requires_grad_()
    wt = f32(torch.randn(c, filters, kh, kw, generator=g) * 0.5).requires_grad_()
    b = f32(torch.randn(filters, generator=g)).requires_grad_() if bias else None
    y = F.conv_transpose2d(x, wt, b, stride=tuple(pair(stride)), padding=tuple(pair(padding)),
                           output_padding=tuple(pair(output_padding)))
    dy = f32(torch.randn(y.shape, generator=g))
    (y * dy).sum().backward()
    spec = {"type": "conv2d_transpose", "filters": filters, "kernel": kernel, "stride": stride, "padding": padding,
            "outputPadding": output_padding, "bias": bias}
    write(name, spec, [c, h, w], x, flat(wt) + (flat(b) if bias else []), y, dy,
          flat(wt.grad) + (flat(b.grad) if bias else []))


def upsample(name, c, h, w, factor):
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    x = f32(torch.randn(BATCH, c, h, w, generator=g)).requires_grad_()
    y = F.interpolate(x, scale_factor=tuple(float(v) for v in pair(factor)), mode="nearest")
    dy = f32(torch.randn(y.shape, generator=g))
    (y * dy).sum().backward()
    write(name, {"type": "upsample", "factor": factor}, [c, h, w], x, [], y, dy, [])


def pool(name, kind, c, h, w, kernel, stride=None, padding=0):
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    x = f32(torch.randn(BATCH, c, h, w, generator=g)).requires_grad_()
    args = dict(kernel_size=tuple(pair(kernel)), stride=tuple(pair(stride if stride is not None else kernel)),
                padding=tuple(pair(padding)))
    y = F.max_pool2d(x, **args) if kind == "max_pool2d" else F.avg_pool2d(x, count_include_pad=True, **args)
    dy = f32(torch.randn(y.shape, generator=g))
    (y * dy).sum().backward()
    spec = {"type": kind, "kernel": kernel, "padding": padding}
    if stride is not None:
        spec["stride"] = stride
    write(name, spec, [c, h, w], x, [], y, dy, [])


def batch_norm(name, shape, batch, momentum=0.1, eps=1e-5, warmup=3):
    """Training passes over `warmup` batches, then the fixture's batch; running statistics carried through."""
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    c = shape[0]
    gamma = f32(1 + 0.3 * torch.randn(c, generator=g)).requires_grad_()
    beta = f32(0.3 * torch.randn(c, generator=g)).requires_grad_()
    mean, var = torch.zeros(c, dtype=torch.float64), torch.ones(c, dtype=torch.float64)
    state = flat(mean) + flat(var)
    warm = []
    for _ in range(warmup):
        xw = f32(2 * torch.randn(batch, *shape, generator=g) + 1)
        F.batch_norm(xw, mean, var, gamma.detach(), beta.detach(), training=True, momentum=momentum, eps=eps)
        warm.append(flat(xw))
    x = f32(2 * torch.randn(batch, *shape, generator=g) + 1).requires_grad_()
    y = F.batch_norm(x, mean, var, gamma, beta, training=True, momentum=momentum, eps=eps)
    dy = f32(torch.randn(y.shape, generator=g))
    (y * dy).sum().backward()
    y_eval = F.batch_norm(x.detach(), mean, var, gamma.detach(), beta.detach(), training=False, eps=eps)
    spec = {"type": "batch_norm", "momentum": momentum, "epsilon": eps}
    write(name, spec, list(shape), x, flat(gamma) + flat(beta), y, dy, flat(gamma.grad) + flat(beta.grad),
          batch=batch, extra={"state": state, "warmup": warm, "newState": flat(mean) + flat(var),
                              "yEval": flat(y_eval)})


def residual(name, c, h, w, filters):
    """conv 3x3 stride 2 pad 1 -> batch_norm -> relu -> conv 3x3 same (no bias), plus a 1x1 stride-2 projection,
    summed, then relu; one training pass from fresh running statistics."""
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    x = f32(torch.randn(BATCH, c, h, w, generator=g)).requires_grad_()
    w1 = f32(torch.randn(filters, c, 3, 3, generator=g) * 0.4).requires_grad_()
    b1 = f32(torch.randn(filters, generator=g)).requires_grad_()
    gamma = f32(1 + 0.3 * torch.randn(filters, generator=g)).requires_grad_()
    beta = f32(0.3 * torch.randn(filters, generator=g)).requires_grad_()
    w2 = f32(torch.randn(filters, filters, 3, 3, generator=g) * 0.4).requires_grad_()
    ws = f32(torch.randn(filters, c, 1, 1, generator=g) * 0.5).requires_grad_()
    mean, var = torch.zeros(filters, dtype=torch.float64), torch.ones(filters, dtype=torch.float64)
    state = flat(mean) + flat(var)
    z = F.conv2d(x, w1, b1, stride=2, padding=1)
    z = F.relu(F.batch_norm(z, mean, var, gamma, beta, training=True, momentum=0.1, eps=1e-5))
    z = F.conv2d(z, w2, None, padding=1)
    y = F.relu(z + F.conv2d(x, ws, None, stride=2))
    dy = f32(torch.randn(y.shape, generator=g))
    (y * dy).sum().backward()
    spec = {"type": "residual", "activation": "relu", "layers": [
        {"type": "conv2d", "filters": filters, "kernel": 3, "stride": 2, "padding": 1},
        {"type": "batch_norm"}, {"type": "activation", "function": "relu"},
        {"type": "conv2d", "filters": filters, "kernel": 3, "padding": "same", "bias": False}]}
    ps = [w1, b1, gamma, beta, w2, ws]
    write(name, spec, [c, h, w], x, sum((flat(p) for p in ps), []), y, dy, sum((flat(p.grad) for p in ps), []),
          extra={"state": state, "warmup": [], "newState": flat(mean) + flat(var)})


def write(name, spec, shape, x, params, y, dy, dparams, batch=BATCH, extra=None):
    doc = {"name": name, "spec": spec, "input": shape, "batch": batch, "x": flat(x), "params": params,
           "y": flat(y), "dy": flat(dy), "dx": flat(x.grad), "dparams": dparams}
    doc.update(extra or {})
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    conv("conv2d-1ch-3x3", 1, 5, 5, 2, 3)
    conv("conv2d-stride2-pad1", 3, 7, 6, 4, 3, stride=2, padding=1)
    conv("conv2d-rect-kernel", 2, 6, 5, 3, [2, 3], stride=[1, 2], padding=[1, 0])
    conv("conv2d-1x1-nobias", 4, 4, 4, 3, 1, bias=False)
    conv("conv2d-same-5x5", 2, 6, 7, 2, 5, padding="same")
    pool("max_pool2d-2", "max_pool2d", 2, 5, 5, 2)
    pool("max_pool2d-3-stride2-pad1", "max_pool2d", 3, 7, 6, 3, stride=2, padding=1)
    pool("avg_pool2d-2", "avg_pool2d", 2, 5, 5, 2)
    pool("avg_pool2d-3-stride2-pad1", "avg_pool2d", 3, 7, 6, 3, stride=2, padding=1)
    conv_transpose("conv2d_transpose-3x3", 2, 4, 3, 3, 3)
    conv_transpose("conv2d_transpose-stride2-pad1-outpad1", 3, 4, 5, 2, 3, stride=2, padding=1, output_padding=1)
    conv_transpose("conv2d_transpose-rect-nobias", 2, 3, 3, 2, [2, 3], stride=[2, 1], bias=False)
    upsample("upsample-2", 2, 3, 4, 2)
    upsample("upsample-2x3", 1, 2, 3, [2, 3])
    batch_norm("batch_norm-dense", [4], 5)
    batch_norm("batch_norm-conv", [3, 4, 5], 2, momentum=0.2, eps=1e-3)
    residual("residual-projection-batch_norm", 2, 7, 6, 3)


if __name__ == "__main__":
    main()
