#!/usr/bin/env python3
"""PyTorch side of bin/benchmark (issue 13): the same Fashion-MNIST training as Treeprop, on the CPU, one JSON line.

Same data (Debian's dataset-fashion-mnist, pixels / 255), architecture, initialisation scale (He normal before a
ReLU, Xavier uniform before the softmax, zero biases — Treeprop's defaults), optimiser (Adam, cosine decay to 0 over
the run), batch size and epochs. Training time excludes the per-epoch test evaluation, as Treeprop's does.

    python3 bench/pytorch_bench.py --net mlp --batch 256 --epochs 10 --threads 1 [--probe-steps N]

Thread settings matter a great deal on 2 cores (torch's intra-op threads; OpenBLAS's own threads, set by the caller
through OPENBLAS_NUM_THREADS): bin/benchmark tries several and reports the best, saying which.
"""
import argparse
import gzip
import json
import math
import resource
import time

import numpy as np
import torch
import torch.nn as nn

DIR = "/usr/share/datasets/fashion-mnist/"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(split):
    x = idx(DIR + split + "-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    y = idx(DIR + split + "-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


def init(model):
    """Treeprop's defaults: He normal for a layer followed by ReLU (through batch norm), Xavier uniform otherwise
    (the last layer, before the softmax, and a residual block's 1x1 projection); zero biases."""
    layers = [m for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    for i, m in enumerate(layers):
        if i == len(layers) - 1 or getattr(m, "projection", False):
            nn.init.xavier_uniform_(m.weight)
        else:
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        if m.bias is not None:
            nn.init.zeros_(m.bias)


class Residual(nn.Module):
    """Treeprop's residual block as conf/fashion-mnist-resnet.conf writes it: two 3x3 "same" convolutions (with
    bias, Treeprop's default) each followed by batch norm, ReLU between them; the shortcut is the identity, or a 1x1
    convolution without bias where the width changes; ReLU after the sum."""

    def __init__(self, cin, cout):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, 1, 1), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, 1, 1), nn.BatchNorm2d(cout))
        self.shortcut = nn.Identity()
        if cin != cout:
            self.shortcut = nn.Conv2d(cin, cout, 1, bias=False)
            self.shortcut.projection = True

    def forward(self, x):
        return torch.relu(self.body(x) + self.shortcut(x))


def network(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                             nn.Linear(128, 10))
    if name in ("cnn", "cnn_bn"):
        bn = name == "cnn_bn"
        return nn.Sequential(
            nn.Conv2d(1, 32, 3), *([nn.BatchNorm2d(32)] if bn else []), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), *([nn.BatchNorm2d(64)] if bn else []), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))
    if name == "resnet":  # conf/fashion-mnist-resnet.conf
        return nn.Sequential(
            nn.Conv2d(1, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU(),
            Residual(16, 16), nn.MaxPool2d(2), Residual(16, 32), nn.MaxPool2d(2), Residual(32, 64),
            nn.Flatten(), nn.Dropout(0.3), nn.Linear(64 * 7 * 7, 10))
    raise SystemExit("unknown --net " + name)


def accuracy(model, x, y, batch=1024):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return correct / len(x)


def score(model, tx, rows):
    """Inference rows/s over the test set repeated to about `rows` rows, in batches of 512, softmax included."""
    model.eval()
    reps = max(1, rows // len(tx))
    with torch.no_grad():
        t0 = time.perf_counter()
        for _ in range(reps):
            for i in range(0, len(tx), 512):
                model(tx[i:i + 512]).softmax(1)
        return reps * len(tx) / (time.perf_counter() - t0)


def peak_rss_mb():
    """This process's peak resident set (VmHWM). Not ru_maxrss: Linux carries the parent's peak across the
    fork/exec that started us, so under bin/benchmark ru_maxrss reports the JVM's."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--net", default="mlp")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--target", type=float, default=0.88)
    p.add_argument("--probe-steps", type=int, default=0, help="only time this many steps (thread-setting probe)")
    p.add_argument("--score-rows", type=int, default=None,
                   help="rows to score (the test set repeated); default 100000, or none with --probe-steps")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    x, y = load("train")
    tx, ty = load("t10k")
    model = network(a.net)
    init(model)
    steps_per_epoch = math.ceil(len(x) / a.batch)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.epochs * steps_per_epoch)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(a.seed)
    out = {"net": a.net, "batch": a.batch, "threads": a.threads, "torch": torch.__version__,
           "mkldnn": torch.backends.mkldnn.is_available()}

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        sched.step()

    if a.probe_steps:
        perm = torch.randperm(len(x), generator=gen)
        for i in range(3):  # warm-up
            idx_ = perm[i * a.batch:(i + 1) * a.batch]
            step(x[idx_], y[idx_])
        t0 = time.perf_counter()
        for i in range(a.probe_steps):
            j = (3 + i) % (steps_per_epoch - 1)
            idx_ = perm[j * a.batch:(j + 1) * a.batch]
            step(x[idx_], y[idx_])
        out["samples_per_second"] = a.probe_steps * a.batch / (time.perf_counter() - t0)
        out["probe_steps"] = a.probe_steps
        if a.score_rows:
            out["scoring_rows_per_second"] = score(model, tx, a.score_rows)
        out["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(out))
        return
    trained = 0.0
    epoch_seconds = []
    to_target = None
    acc = None
    for epoch in range(a.epochs):
        perm = torch.randperm(len(x), generator=gen)
        t0 = time.perf_counter()
        for i in range(steps_per_epoch):
            idx_ = perm[i * a.batch:(i + 1) * a.batch]
            step(x[idx_], y[idx_])
        dt = time.perf_counter() - t0
        epoch_seconds.append(dt)
        trained += dt
        acc = accuracy(model, tx, ty)
        if to_target is None and acc >= a.target:
            to_target = trained
    out["epoch_seconds"] = epoch_seconds
    out["samples_per_second"] = len(x) * a.epochs / trained
    out["seconds_to_target"] = to_target
    out["target"] = a.target
    out["final_test_accuracy"] = acc
    out["scoring_rows_per_second"] = score(model, tx, 100_000 if a.score_rows is None else a.score_rows)
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
