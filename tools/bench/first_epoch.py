#!/usr/bin/env python3
"""The first epoch as a user waits for it: `deepcanvas train layouts/X.json` against PyTorch's tutorial loop.

Each round runs, in a fresh process each and alternating which goes first, one epoch of MNIST training (batch 64,
Adam 1e-3 whatever the project says, test accuracy at the end) of LeNet-5, the dense 784-512-512-10 network and
the ConvNet 32/64 (as in layouts/), and times each whole process from launch to exit: JVM or interpreter start,
reading MNIST, the epoch, the test pass.
Prints per-network medians and the median of the per-round ratios PyTorch time / our time (> 1: we finish first).
Run by hand from the repository root; never run by tests or CI.
A ConvNet round takes about 2.5 minutes on two cores (our epoch ~45 s, PyTorch's ~90 s).

    /usr/bin/python3 tools/bench/first_epoch.py --rounds 3
    /usr/bin/python3 tools/bench/first_epoch.py --rounds 3 --networks lenet5 --java-opts "-Xmx1g -XX:-TieredCompilation"

Ours is `./deepcanvas train` itself, launcher included (its dependency and build checks, its JVM options and
class-data archive), timed after one untimed run that writes the archive as a user's first run after a build
does. PyTorch runs the loop of its "Training
a classifier" tutorial: a map-style Dataset whose __getitem__ transforms one image (to float, Pad(2) for LeNet-5,
Normalize), a DataLoader with batch 64 and shuffle, zero_grad / forward / loss / backward / step and the loss read
every step, then the test set at batch 1000 under no_grad.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import side_by_side  # noqa: E402  (the MNIST reader, the networks and the malloc choice are shared)

NETWORKS = ("lenet5", "mlp", "convnet")
LAYOUTS = {"lenet5": "layouts/lenet5.json", "mlp": "layouts/mlp.json", "convnet": "layouts/convnet.json"}
ROOT = side_by_side.ROOT
INTERVAL = 100


def torch_worker(args):
    """One epoch of PyTorch's tutorial loop for one network; prints the test accuracy."""
    import gzip
    import struct
    import numpy as np
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, Dataset

    def read(prefix):
        with gzip.open(os.path.join(args.data, prefix + "-images-idx3-ubyte.gz"), "rb") as f:
            _, n, rows, cols = struct.unpack(">IIII", f.read(16))
            pixels = np.frombuffer(f.read(n * rows * cols), dtype=np.uint8).reshape(n, rows, cols)
        with gzip.open(os.path.join(args.data, prefix + "-labels-idx1-ubyte.gz"), "rb") as f:
            f.read(8)
            labels = np.frombuffer(f.read(n), dtype=np.uint8)
        return pixels, labels

    pad = 2 if args.networks == "lenet5" else 0

    class Mnist(Dataset):
        """torchvision's MNIST with ToTensor(), [Pad(2),] Normalize((0.1307,), (0.3081,)), one image at a time."""

        def __init__(self, prefix):
            self.pixels, self.labels = read(prefix)

        def __len__(self):
            return len(self.labels)

        def __getitem__(self, i):
            x = torch.from_numpy(self.pixels[i].copy()).float().div_(255).unsqueeze(0)
            if pad:
                x = nn.functional.pad(x, (pad, pad, pad, pad))
            return (x - 0.1307) / 0.3081, int(self.labels[i])

    torch.manual_seed(1)
    train = DataLoader(Mnist("train"), batch_size=args.batch, shuffle=True)
    test = DataLoader(Mnist("t10k"), batch_size=1000)
    if args.networks == "convnet":
        # layouts/convnet.json drops out the flattened features, before the 1000-unit layer
        net = nn.Sequential(
            nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(),
            nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(7 * 7 * 64, 1000), nn.ReLU(), nn.Linear(1000, 10))
    else:
        net = side_by_side.torch_networks(nn)[args.networks]()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    net.train()
    # images/s over every 100 steps, from the loop's start, as `deepcanvas train --log-every 100` prints them
    last = time.perf_counter()
    for step, (x, y) in enumerate(train, 1):
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        loss.item()
        if step % INTERVAL == 0:
            now = time.perf_counter()
            print("step %d  %d images/s" % (step, INTERVAL * args.batch / (now - last)))
            last = now
    net.eval()
    correct = 0
    with torch.no_grad():
        for x, y in test:
            correct += (net(x).argmax(1) == y).sum().item()
    print("test accuracy %.2f%%" % (100.0 * correct / len(test.dataset)))


def timed(cmd, env=None):
    """Seconds from launch to exit, the test accuracy the process printed, and its images/s over steps 1-100 and
    (the steady state within the epoch) the median of its 100-step intervals from step 401 on."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit("command failed (%d): %s\n%s%s" % (proc.returncode, " ".join(cmd), proc.stdout, proc.stderr))
    acc = re.findall(r"test accuracy ([0-9.]+)%", proc.stdout)
    rates = {int(step): float(rate.replace(",", "")) for step, rate in
             re.findall(r"step (\d+)(?:/\d+)?\s.*?([0-9,]+) images/s", proc.stdout)}
    later = [r for step, r in rates.items() if step > 400 and step % INTERVAL == 0]
    return (seconds, float(acc[-1]) if acc else float("nan"), rates.get(INTERVAL, float("nan")),
            statistics.median(later) if later else float("nan"))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--networks", default=",".join(NETWORKS))
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--data", default=os.path.join(ROOT, "sample-data", "mnist"))
    p.add_argument("--java-opts", default=None,
                   help="JVM options for the launcher (DEEPCANVAS_JAVA_OPTS; default: the launcher's own, -Xmx1g; "
                        "with any, the launcher uses no class-data archive)")
    p.add_argument("--torch-malloc", choices=("tcmalloc", "system"), default="system",
                   help="PyTorch's allocator: glibc's (default: what a user of the tutorial runs) or tcmalloc")
    p.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.torch_worker:
        torch_worker(args)
        return

    launcher = os.path.join(ROOT, "deepcanvas")
    ours_env = dict(os.environ)
    if args.java_opts is not None:
        ours_env["DEEPCANVAS_JAVA_OPTS"] = args.java_opts
    torch_env = side_by_side.torch_env(args.torch_malloc)
    weights = os.path.join(tempfile.mkdtemp(prefix="first_epoch"), "w.safetensors")
    networks = args.networks.split(",")

    def ours_cmd(n):
        return [launcher, "train", LAYOUTS[n], "--epochs", "1", "--batch-size", str(args.batch), "--lr", "0.001",
                "--data", args.data, "--save-weights", weights, "--log-every", str(INTERVAL)]

    # Untimed: builds the project if a source changed, and the first `train` after a build writes the launcher's
    # class-data archive (every later run maps it), as a user's first run does once.
    s = timed(ours_cmd(networks[0]), ours_env)[0]
    print("untimed first run (build check, class-data archive written): %.2f s" % s, file=sys.stderr, flush=True)
    samples = {n: {k: [] for k in ("ours", "torch", "ours_acc", "torch_acc", "ours_first", "torch_first",
                                    "ours_later", "torch_later")} for n in networks}
    for r in range(args.rounds):
        for n in networks:
            ours = ours_cmd(n)
            theirs = [sys.executable, os.path.abspath(__file__), "--torch-worker", "--networks", n, "--batch",
                      str(args.batch), "--data", args.data]
            order = [("ours", ours, ours_env), ("torch", theirs, torch_env)]
            if r % 2:
                order.reverse()
            for who, cmd, env in order:
                s, acc, first, later = timed(cmd, env)
                samples[n][who].append(s)
                samples[n][who + "_acc"].append(acc)
                samples[n][who + "_first"].append(first)
                samples[n][who + "_later"].append(later)
            m = samples[n]
            print("round %d/%d %-8s ours %.2f s (%.2f%%, %.0f then %.0f images/s), PyTorch %.2f s (%.2f%%, %.0f then "
                  "%.0f images/s)" % (r + 1, args.rounds, n, m["ours"][-1], m["ours_acc"][-1], m["ours_first"][-1],
                                      m["ours_later"][-1], m["torch"][-1], m["torch_acc"][-1], m["torch_first"][-1],
                                      m["torch_later"][-1]), file=sys.stderr, flush=True)

    print("\nOne epoch, whole process (launch to exit), batch %d, Adam 1e-3, test accuracy at the end; medians of %d "
          "alternating rounds; ours through ./deepcanvas%s; PyTorch with %s malloc" % (
              args.batch, args.rounds, "" if args.java_opts is None else " with DEEPCANVAS_JAVA_OPTS=" + args.java_opts,
              args.torch_malloc))
    print("%-8s | %9s %9s | %7s %14s | %9s %9s" % ("network", "ours s", "torch s", "ratio", "ratio range",
                                                  "ours acc", "torch acc"))
    for n in networks:
        s = samples[n]
        ratios = [t / o for o, t in zip(s["ours"], s["torch"])]
        print("%-8s | %9.2f %9.2f | %6.2fx %6.2f-%-6.2f | %8.2f%% %8.2f%%" % (
            n, statistics.median(s["ours"]), statistics.median(s["torch"]), statistics.median(ratios), min(ratios),
            max(ratios), statistics.median(s["ours_acc"]), statistics.median(s["torch_acc"])))
    print("(ratio = median over rounds of PyTorch's time / ours, > 1 means DeepCanvas finishes first)")
    print("\nTraining images/s within the epoch: steps 1-100 (from the loop's start: ours after its warm-up) and the "
          "median of the 100-step intervals from step 401 on; 'share' = first 100 / later, medians over rounds")
    print("%-8s | %10s %10s %6s | %10s %10s %6s" % ("network", "ours 1-100", "ours later", "share", "torch 1-100",
                                                   "torch later", "share"))
    for n in networks:
        s = samples[n]
        row = []
        for who in ("ours", "torch"):
            shares = [f / l for f, l in zip(s[who + "_first"], s[who + "_later"])]
            row += [statistics.median(s[who + "_first"]), statistics.median(s[who + "_later"]),
                    statistics.median(shares)]
        print("%-8s | %10.0f %10.0f %6.2f | %10.0f %10.0f %6.2f" % (n, *row))


if __name__ == "__main__":
    main()
