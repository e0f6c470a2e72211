#!/usr/bin/env python3
"""DeepCanvas's OpenCL backend vs PyTorch's CUDA on the same GPU, side by side, for the networks of `deepcanvas bench`.

Both sides as the issue measures them: the same networks, batch sizes and optimizer (SGD, lr 0.01, momentum 0.9),
a few batches put on the device before timing and cycled, the loss read back every step, TF32 off; inference at
batch 1000 timed to a synchronize. Ours (`Benchmark --device opencl --json`, a fresh JVM) and PyTorch (a fresh
interpreter) alternate for N rounds; the table gives per-network medians and the ratio ours/PyTorch, and the same
table as Markdown for the README. Builds nothing: run tools/gpu/prepare.sh first (see docs/gpu.md).

    python3 tools/bench/gpu_side_by_side.py --rounds 3 [--batch-size 256] [--java .rt/bin/java]
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from side_by_side import BATCH, INFERENCE_BATCH, NETWORKS, ROOT, mnist_batches, torch_networks  # noqa: E402

RESIDENT_BATCHES = 8  # as DeviceBenchmark: distinct batches kept on the device


def torch_worker(args):
    import torch
    import torch.nn as nn
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device(args.torch_device)
    pixels, batch = mnist_batches(torch, args.data, dev)

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    name_of_device = torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu"
    out = {"engine": "pytorch", "torch": torch.__version__, "device": name_of_device, "networks": {}}
    nets = torch_networks(nn)
    for name in args.networks.split(","):
        torch.manual_seed(0)
        net = nets[name]().to(dev)
        opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        side = 32 if name == "lenet5" else 28
        b = args.batch_size or BATCH[name]
        n_images = pixels.shape[0]
        batches = [batch((i * b) % (n_images - b), b, side) for i in range(RESIDENT_BATCHES)]
        warmup_end = time.perf_counter() + args.warmup_seconds
        i, timed, t0, loss_value = 0, -1, None, float("nan")
        while timed < args.steps:
            if timed < 0 and i >= args.warmup_steps and time.perf_counter() >= warmup_end:
                timed = 0
                t0 = time.perf_counter()
            if timed >= 0:
                timed += 1
            x, y = batches[i % RESIDENT_BATCHES]
            i += 1
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
            loss_value = loss.item()  # read every step, as our live charts need
        train_s = time.perf_counter() - t0
        net.eval()
        iters = args.inference_iters
        with torch.no_grad():
            x, _ = batch(0, INFERENCE_BATCH, side)
            warmup_end = time.perf_counter() + args.warmup_seconds / 2
            i = 0
            while i < max(2, iters // 3) or time.perf_counter() < warmup_end:
                net(x)
                sync()
                i += 1
            t0 = time.perf_counter()
            for _ in range(iters):
                net(x)
            sync()
            infer_s = time.perf_counter() - t0
        out["networks"][name] = {"batch": b, "train_images_per_s": args.steps * b / train_s,
                                 "infer_images_per_s": iters * INFERENCE_BATCH / infer_s, "loss": loss_value}
    print(json.dumps(out))


def run_json(cmd):
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("command failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr[-3000:]))
    line = [l for l in proc.stdout.splitlines() if l.startswith("{")][-1]
    return json.loads(line)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--networks", default=",".join(NETWORKS))
    p.add_argument("--batch-size", type=int, default=0, help="one batch size for every network (default: each "
                   "network's own: 64, 128, 32)")
    p.add_argument("--warmup-steps", type=int, default=100)
    p.add_argument("--warmup-seconds", type=float, default=3.0)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--inference-iters", type=int, default=20)
    p.add_argument("--data", default=os.path.join(ROOT, "sample-data", "mnist"))
    p.add_argument("--device", default="opencl", help="our device (default opencl: the first GPU)")
    p.add_argument("--torch-device", default="cuda", help="PyTorch's device (cpu only for a dry run of the script)")
    p.add_argument("--java", default="java")
    p.add_argument("--java-opts", default="-Xmx4g")
    p.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.torch_worker:
        torch_worker(args)
        return

    classes = os.path.join(ROOT, "engine", "target", "classes")
    libs = os.path.join(ROOT, "engine", "target", "gpu-lib")
    if not os.path.isdir(classes) or not os.path.isdir(libs):
        sys.exit("engine/target/classes or engine/target/gpu-lib is missing: run tools/gpu/prepare.sh first")
    common = ["--networks", args.networks, "--warmup-steps", str(args.warmup_steps),
              "--warmup-seconds", str(args.warmup_seconds), "--steps", str(args.steps),
              "--inference-iters", str(args.inference_iters)]
    if args.batch_size:
        common += ["--batch-size", str(args.batch_size)]
    ours_cmd = [args.java, "--add-modules", "jdk.incubator.vector"] + args.java_opts.split() + [
        "-cp", classes + os.pathsep + os.path.join(libs, "*"), "io.deepcanvas.engine.bench.Benchmark", "--json",
        "--device", args.device, "--data", args.data] + common
    torch_cmd = [sys.executable, os.path.abspath(__file__), "--torch-worker", "--data", args.data,
                 "--torch-device", args.torch_device] + common

    samples = {"ours": [], "torch": []}
    for r in range(args.rounds):
        order = [("ours", ours_cmd), ("torch", torch_cmd)]
        if r % 2:
            order.reverse()
        for who, cmd in order:
            samples[who].append(run_json(cmd))
        line = []
        for n in args.networks.split(","):
            o, t = samples["ours"][-1]["networks"][n], samples["torch"][-1]["networks"][n]
            line.append("%s train %.0f/%.0f infer %.0f/%.0f" % (n, o["train_images_per_s"], t["train_images_per_s"],
                                                               o["infer_images_per_s"], t["infer_images_per_s"]))
        print("round %d/%d (ours/torch img/s): %s" % (r + 1, args.rounds, "; ".join(line)), file=sys.stderr)

    ours_device = samples["ours"][0].get("device", "?")
    torch_device = samples["torch"][0].get("device", "?")
    print("\n%s, %s UTC: ours on %s, PyTorch %s on %s (TF32 off); medians of %d alternating rounds, warm-up %d "
          "steps and %.1f s, %d timed steps with the loss read every step, inference at batch %d"
          % (torch_device, datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), ours_device,
             samples["torch"][0].get("torch", "?"), args.torch_device, args.rounds, args.warmup_steps,
             args.warmup_seconds, args.steps, INFERENCE_BATCH))
    rows = []
    for n in args.networks.split(","):
        def med(who, key):
            return statistics.median(s["networks"][n][key] for s in samples[who])

        def ratio(key):
            return statistics.median(o["networks"][n][key] / t["networks"][n][key]
                                     for o, t in zip(samples["ours"], samples["torch"]))
        rows.append((n, samples["ours"][0]["networks"][n]["batch"], med("ours", "train_images_per_s"),
                     med("torch", "train_images_per_s"), ratio("train_images_per_s"), med("ours", "infer_images_per_s"),
                     med("torch", "infer_images_per_s"), ratio("infer_images_per_s")))
    print("%-8s %5s | %12s %12s %7s | %12s %12s %7s" % ("network", "batch", "ours train", "torch train", "ratio",
                                                        "ours infer", "torch infer", "ratio"))
    for r in rows:
        print("%-8s %5d | %12.0f %12.0f %6.2fx | %12.0f %12.0f %6.2fx" % r)
    print("\n| network | batch | ours train img/s | PyTorch CUDA train img/s | ratio | ours infer img/s "
          "| PyTorch infer img/s | ratio |\n|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %d | %.0f | %.0f | %.2f× | %.0f | %.0f | %.2f× |" % r)


if __name__ == "__main__":
    main()
