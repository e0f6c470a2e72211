#!/usr/bin/env python3
"""PyTorch's side of engine/src/test/java/io/deepcanvas/engine/backend/cpu/ConvNetOpTiming.java: the same ops at
the same shapes (the ConvNet at batch 32, the dense network's inference at batch 1000 and its training step at
batch 128), each timed alone.

    /usr/bin/python3 tools/bench/torch_ops.py [--isa avx2] [--threads 2] [NAME-PREFIX]

--isa avx2 restricts PyTorch the way side_by_side.py does (ATen, oneDNN and OpenBLAS held to AVX2); tcmalloc is
preloaded when present, as there.
"""
import argparse
import os
import statistics
import sys
import time

from side_by_side import AVX2_ENV, TCMALLOC, torch_env


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--isa", choices=("native", "avx2"), default="native")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("only", nargs="?", default="")
    args = p.parse_args()
    if not args.child:
        # the ISA switches and the allocator take effect only when the process starts (side_by_side.py's)
        env = torch_env("tcmalloc" if os.path.exists(TCMALLOC) else "system")
        if args.isa == "avx2":
            env.update(AVX2_ENV)
        os.execve(sys.executable, [sys.executable] + sys.argv + ["--child"], env)
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    n = 32
    x1, w1, b1 = torch.randn(n, 1, 28, 28), torch.randn(32, 1, 5, 5), torch.randn(32)
    g1 = torch.randn(n, 32, 28, 28)
    x2, w2, b2 = torch.randn(n, 32, 14, 14), torch.randn(64, 32, 5, 5), torch.randn(64)
    g2 = torch.randn(n, 64, 14, 14)
    a3, w3, g3 = torch.randn(n, 3136), torch.randn(1000, 3136), torch.randn(n, 1000)
    m = 1000
    dx, dw1, dh = torch.randn(m, 784), torch.randn(512, 784), torch.randn(m, 512)
    dw2, dw3 = torch.randn(512, 512), torch.randn(10, 512)
    t = 128
    tx, th, tb = torch.randn(t, 784), torch.randn(t, 512), torch.randn(512)
    tg, tg3 = torch.randn(t, 512), torch.randn(t, 10)
    param, grad, buf = torch.randn(512, 784), torch.randn(512, 784), torch.randn(512, 784)

    def sgd_step():  # what torch.optim.SGD(momentum=0.9) does per tensor after its first step
        buf.mul_(0.9).add_(grad)
        param.add_(buf, alpha=-0.01)

    back = torch.ops.aten.convolution_backward
    ops = {
        "conv1 forward": lambda: F.conv2d(x1, w1, b1, padding=2),
        "conv1 weight+bias gradient": lambda: back(g1, x1, w1, [32], [1, 1], [2, 2], [1, 1], False, [0, 0], 1,
                                                   [False, True, True]),
        "conv2 forward": lambda: F.conv2d(x2, w2, b2, padding=2),
        "conv2 input gradient": lambda: back(g2, x2, w2, [64], [1, 1], [2, 2], [1, 1], False, [0, 0], 1,
                                             [True, False, False]),
        "conv2 weight+bias gradient": lambda: back(g2, x2, w2, [64], [1, 1], [2, 2], [1, 1], False, [0, 0], 1,
                                                   [False, True, True]),
        "fc1 forward": lambda: a3 @ w3.t(),
        "fc1 input gradient": lambda: g3 @ w3,
        "fc1 weight gradient": lambda: g3.t() @ a3,
        "dense layer 1 inference": lambda: F.linear(dx, dw1),
        "dense layer 2 inference": lambda: F.linear(dh, dw2),
        "dense layer 3 inference": lambda: F.linear(dh, dw3),
        "dense train fwd1": lambda: F.linear(tx, dw1, tb).relu_(),
        "dense train fwd2": lambda: F.linear(th, dw2, tb).relu_(),
        "dense train fwd3": lambda: F.linear(th, dw3),
        "dense train gx3": lambda: tg3 @ dw3,
        "dense train gx2": lambda: tg @ dw2,
        "dense train gw3": lambda: tg3.t() @ th,
        "dense train gw2": lambda: tg.t() @ th,
        "dense train gw1": lambda: tg.t() @ tx,
        "dense train sgd1": sgd_step,
    }
    print("PyTorch %s ops, %d threads, %s" % (torch.__version__, args.threads, args.isa))
    with torch.no_grad():
        for name, op in ops.items():
            if not name.startswith(args.only):
                continue
            for _ in range(60):
                op()
            rounds = []
            for _ in range(9):
                t0 = time.perf_counter()
                for _ in range(20):
                    op()
                rounds.append((time.perf_counter() - t0) / 20 * 1e6)
            print("%-28s %9.1f us" % (name, statistics.median(rounds)))


if __name__ == "__main__":
    main()
