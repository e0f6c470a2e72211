#!/usr/bin/env python3
"""DeepCanvas vs PyTorch on the CPU, side by side, for the three networks of `deepcanvas bench`.

Runs PyTorch's versions (in a fresh interpreter each round) and our Benchmark (a fresh JVM each round)
alternating, N rounds, and prints per-network medians and the ratio ours/PyTorch for training and inference.
Run by hand from the repository root after `mvn -o -q compile`; never run by tests or CI.

    apt-get install python3-torch libopenblas0-openmp libtcmalloc-minimal4
    /usr/bin/python3 tools/bench/side_by_side.py --rounds 5 --threads 2
"""
import argparse
import gzip
import json
import os
import statistics
import struct
import subprocess
import sys
import time

NETWORKS = ("lenet5", "mlp", "convnet")
BATCH = {"lenet5": 64, "mlp": 128, "convnet": 32}
INFERENCE_BATCH = 1000
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# ---- the PyTorch side (runs in a child interpreter: `side_by_side.py --torch-worker`) --------------------------

def load_mnist(data_dir):
    import numpy as np
    with gzip.open(os.path.join(data_dir, "train-images-idx3-ubyte.gz"), "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803 and rows == 28 and cols == 28
        pixels = np.frombuffer(f.read(n * 784), dtype=np.uint8).reshape(n, 28, 28)
    with gzip.open(os.path.join(data_dir, "train-labels-idx1-ubyte.gz"), "rb") as f:
        magic, m = struct.unpack(">II", f.read(8))
        assert magic == 0x801 and m == n
        labels = np.frombuffer(f.read(n), dtype=np.uint8)
    return pixels, labels


def torch_networks(nn):
    return {
        "lenet5": lambda: nn.Sequential(
            nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)),
        "mlp": lambda: nn.Sequential(
            nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)),
        "convnet": lambda: nn.Sequential(
            nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(),
            nn.MaxPool2d(2), nn.Flatten(), nn.Linear(7 * 7 * 64, 1000), nn.ReLU(), nn.Dropout(0.5), nn.Linear(1000, 10)),
    }


def mnist_batches(torch, data, device=None):
    """The training images as PyTorch tensors, and batch(start, n, side) -> (inputs, targets), on device if given."""
    pixels, labels = load_mnist(data)
    pixels = torch.from_numpy(pixels.copy())
    labels = torch.from_numpy(labels.astype("int64"))
    mean, std = 0.1307, 0.3081

    def batch(start, n, side):
        x = pixels[start:start + n].float().div_(255).unsqueeze(1)
        if side == 32:  # Pad(2) then Normalize, as in the Java benchmark
            x = torch.nn.functional.pad(x, (2, 2, 2, 2))
        x, y = (x - mean) / std, labels[start:start + n]
        return (x, y) if device is None else (x.to(device), y.to(device))

    return pixels, batch


def torch_worker(args):
    import torch
    import torch.nn as nn
    torch.set_num_threads(args.threads)
    pixels, batch = mnist_batches(torch, args.data)

    out = {"engine": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(), "networks": {}}
    nets = torch_networks(nn)
    for name in args.networks.split(","):
        torch.manual_seed(0)
        net = nets[name]()
        opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        side = 32 if name == "lenet5" else 28
        b = BATCH[name]
        cursor = 0
        n_images = pixels.shape[0]
        t0 = None
        # warm-up as in the Java benchmark: at least --warmup-steps steps and --warmup-seconds seconds
        warmup_end = time.perf_counter() + args.warmup_seconds
        i, timed = 0, -1
        while timed < args.steps:
            if timed < 0 and i >= args.warmup_steps and time.perf_counter() >= warmup_end:
                timed = 0
                t0 = time.perf_counter()
            if timed >= 0:
                timed += 1
            i += 1
            x, y = batch(cursor, b, side)
            cursor = (cursor + b) % (n_images - b)
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
        train_s = time.perf_counter() - t0
        net.eval()
        iters = args.inference_iters
        with torch.no_grad():
            x, _ = batch(0, INFERENCE_BATCH, side)
            warmup_end = time.perf_counter() + args.warmup_seconds / 2
            i = 0
            while i < max(2, iters // 3) or time.perf_counter() < warmup_end:
                net(x)
                i += 1
            t0 = time.perf_counter()
            for _ in range(iters):
                net(x)
            infer_s = time.perf_counter() - t0
        out["networks"][name] = {"batch": b, "train_images_per_s": args.steps * b / train_s,
                                 "infer_images_per_s": iters * INFERENCE_BATCH / infer_s, "loss": float(loss)}
    print(json.dumps(out))


# ---- the driver ---------------------------------------------------------------------------------------------

# PyTorch's CPU performance guide recommends jemalloc or tcmalloc: glibc's malloc hands big tensors back to the OS and faults
# them in again on every allocation. On a 2-core EPYC VM where page faults are slow, PyTorch inferred LeNet-5 at
# 4,500 img/s with glibc's malloc and 34,600 with tcmalloc (jemalloc: 3,800). We compare against PyTorch at its best.
TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"


# PyTorch held to AVX2 the way its own ISA switches allow: ATen's kernels, oneDNN's convolutions, OpenBLAS's GEMM
AVX2_ENV = {"ATEN_CPU_CAPABILITY": "avx2", "DNNL_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"}


def torch_env(malloc):
    env = dict(os.environ)
    if malloc == "tcmalloc":
        if not os.path.exists(TCMALLOC):
            sys.exit("%s is missing: apt-get install libtcmalloc-minimal4, or pass --torch-malloc system" % TCMALLOC)
        env["LD_PRELOAD"] = TCMALLOC
    return env


def run_json(cmd, env=None):
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit("command failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr))
    line = [l for l in proc.stdout.splitlines() if l.startswith("{")][-1]
    return json.loads(line)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--networks", default=",".join(NETWORKS))
    p.add_argument("--warmup-steps", type=int, default=100)
    p.add_argument("--warmup-seconds", type=float, default=10.0,
                   help="warm-up lasts at least this long too (the JVM compiles its kernels in the first seconds)")
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--inference-iters", type=int, default=100,
                   help="timed inference passes at batch 1000 (100: about a second a side; the old 10 timed "
                        "~80 ms, noisier)")
    p.add_argument("--data", default=os.path.join(ROOT, "sample-data", "mnist"))
    p.add_argument("--java", default="java")
    p.add_argument("--java-opts", default="-Xmx1g", help="JVM options (default -Xmx1g, as ./deepcanvas uses)")
    p.add_argument("--torch-malloc", choices=("tcmalloc", "system"), default="tcmalloc",
                   help="PyTorch's allocator: tcmalloc (default, as PyTorch's performance guide advises) or glibc's")
    p.add_argument("--isa", choices=("native", "avx2"), default="native",
                   help="avx2: both sides restricted to AVX2 as on most laptops (ours with -XX:UseAVX=2, PyTorch "
                        "with ATEN_CPU_CAPABILITY=avx2, DNNL_MAX_CPU_ISA=AVX2, OPENBLAS_CORETYPE=Haswell)")
    p.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.torch_worker:
        torch_worker(args)
        return

    classes = os.path.join(ROOT, "engine", "target", "classes")
    if not os.path.isdir(classes):
        sys.exit("engine/target/classes is missing: run `mvn -o -q compile` first")
    common = ["--networks", args.networks, "--warmup-steps", str(args.warmup_steps),
              "--warmup-seconds", str(args.warmup_seconds), "--steps", str(args.steps),
              "--inference-iters", str(args.inference_iters), "--threads", str(args.threads)]
    isa_opts = ["-XX:UseAVX=2"] if args.isa == "avx2" else []
    ours_cmd = [args.java, "--add-modules", "jdk.incubator.vector"] + args.java_opts.split() + isa_opts + [
        "-cp", classes, "io.deepcanvas.engine.bench.Benchmark", "--json", "--data", args.data] + common
    torch_cmd = [sys.executable, os.path.abspath(__file__), "--torch-worker", "--data", args.data] + common

    # checked before the first round, not after a minute of it
    torch_run_env = torch_env(args.torch_malloc)
    if args.isa == "avx2":
        torch_run_env.update(AVX2_ENV)
    samples = {"ours": [], "torch": []}
    for r in range(args.rounds):
        # alternate which goes first so a noisy neighbour does not always hit the same side
        order = [("ours", ours_cmd, None), ("torch", torch_cmd, torch_run_env)]
        if r % 2:
            order.reverse()
        for who, cmd, env in order:
            samples[who].append(run_json(cmd, env))
        line = []
        for n in args.networks.split(","):
            o, t = samples["ours"][-1]["networks"][n], samples["torch"][-1]["networks"][n]
            line.append("%s train %.0f/%.0f infer %.0f/%.0f" % (n, o["train_images_per_s"], t["train_images_per_s"],
                                                               o["infer_images_per_s"], t["infer_images_per_s"]))
        print("round %d/%d (ours/torch img/s): %s" % (r + 1, args.rounds, "; ".join(line)), file=sys.stderr)

    torch_version = samples["torch"][0].get("torch", "?")
    print("\nMedians of %d alternating rounds, %d threads, warm-up %d steps and %.1f s, %d timed steps, inference "
          "batch %d (PyTorch %s, %s malloc, %s)" % (args.rounds, args.threads, args.warmup_steps, args.warmup_seconds,
                                                     args.steps, INFERENCE_BATCH, torch_version, args.torch_malloc,
                                                     "both restricted to AVX2" if args.isa == "avx2" else
                                                     "each at its best instruction set"))
    print("%-8s %5s | %12s %12s %7s | %12s %12s %7s" % ("network", "batch", "ours train", "torch train", "ratio",
                                                        "ours infer", "torch infer", "ratio"))
    for n in args.networks.split(","):
        def med(who, key):
            return statistics.median(s["networks"][n][key] for s in samples[who])
        ot, tt = med("ours", "train_images_per_s"), med("torch", "train_images_per_s")
        oi, ti = med("ours", "infer_images_per_s"), med("torch", "infer_images_per_s")
        # ratio of per-round ratios is more robust to drifting load than a ratio of medians
        rt = statistics.median(o["networks"][n]["train_images_per_s"] / t["networks"][n]["train_images_per_s"]
                               for o, t in zip(samples["ours"], samples["torch"]))
        ri = statistics.median(o["networks"][n]["infer_images_per_s"] / t["networks"][n]["infer_images_per_s"]
                               for o, t in zip(samples["ours"], samples["torch"]))
        print("%-8s %5d | %12.0f %12.0f %6.2fx | %12.0f %12.0f %6.2fx" % (n, BATCH[n], ot, tt, rt, oi, ti, ri))
    print("(img/s; ratio = median over rounds of ours/PyTorch, > 1 means DeepCanvas is faster)")


if __name__ == "__main__":
    main()
