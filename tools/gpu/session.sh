#!/usr/bin/env bash
# Runs on the lent GPU machine (NVIDIA H200), from the repository root, after tools/gpu/prepare.sh here: registers
# NVIDIA's OpenCL driver, lists the devices, runs the OpenCL test suite on the GPU, trains LeNet-5 on the GPU and on
# the CPU from the same weights, then measures ours against PyTorch's CUDA side by side. Builds nothing. Every
# stage prints its own header; the whole run fits in ~10 minutes with the defaults.
#   ROUNDS (default 3)   alternating rounds of the side-by-side at the tutorials' batch sizes
#   BIG_ROUNDS (1)       rounds at batch 256 (0: skip)
#   STAGES               which stages to run (default "devices tests lenet bench"; "cpu" adds the host's CPU
#                        side by side of issue 20: ours against the host's PyTorch at CPU_THREADS threads)
#   CPU_THREADS ("4 16") thread counts for the cpu stage; CPU_ROUNDS (1) alternating rounds each
#   CPU_ARGS             more side_by_side.py options for the cpu stage, after its own (--warmup-seconds 6
#                        --steps 300, as the README's tables); e.g. "--steps 20 --warmup-seconds 1" for a dry run
set -uo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
BIG_ROUNDS=${BIG_ROUNDS:-1}
STAGES=${STAGES:-devices tests lenet bench}
CPU_THREADS=${CPU_THREADS:-4 16}
CPU_ROUNDS=${CPU_ROUNDS:-1}
CPU_ARGS=${CPU_ARGS:-}
JAVA=".rt/bin/java --add-modules jdk.incubator.vector -Xmx4g"
CP="engine/target/classes:engine/target/gpu-lib/*"
export POCL_CACHE_DIR=${POCL_CACHE_DIR:-/tmp/pocl-cache}
stage() { echo; echo "==== $* ($(date -u +%H:%M:%S))"; }

# NVIDIA's OpenCL library is installed but not registered with the ICD loader
if [ ! -e /etc/OpenCL/vendors/nvidia.icd ]; then
  lib=$(ldconfig -p | grep -m1 'libnvidia-opencl.so.1' | awk '{print $NF}')
  if [ -n "$lib" ]; then
    mkdir -p /etc/OpenCL/vendors && echo "$lib" > /etc/OpenCL/vendors/nvidia.icd
  else
    echo "no libnvidia-opencl.so.1 in ldconfig -p: the GPU stages will run on whatever OpenCL is there"
  fi
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null

for s in $STAGES; do
  case $s in
    devices)
      stage "deepcanvas devices"
      $JAVA -cp "$CP" io.deepcanvas.engine.cli.Cli devices ;;
    tests)
      stage "OpenCL test suite on the first GPU (parity of every primitive, LeNet-5 curves, fallbacks, no leak)"
      timeout 240 $JAVA -Ddeepcanvas.poisonRecycled=true -cp "engine/target/test-classes:$CP" \
        RunTests io.deepcanvas.engine.backend.opencl ;;
    lenet)
      stage "LeNet-5, 200 steps, GPU then CPU, same seed: the loss lines must agree"
      for d in opencl cpu; do
        timeout 240 $JAVA -cp "$CP" io.deepcanvas.engine.cli.Cli train layouts/lenet5.json --device $d \
          --steps 200 --log-every 50 --save-weights /tmp/lenet5-$d.safetensors | grep -v '^saved'
      done ;;
    bench)
      stage "side by side with PyTorch CUDA, tutorial batch sizes, $ROUNDS rounds"
      timeout 420 python3 tools/bench/gpu_side_by_side.py --rounds "$ROUNDS" --java .rt/bin/java --java-opts=-Xmx4g
      if [ "$BIG_ROUNDS" -gt 0 ]; then
        stage "side by side with PyTorch CUDA, batch 256, $BIG_ROUNDS round(s)"
        timeout 300 python3 tools/bench/gpu_side_by_side.py --rounds "$BIG_ROUNDS" --batch-size 256 \
          --java .rt/bin/java --java-opts=-Xmx4g
      fi ;;
    cpu)
      # the GPU machine's host is an AVX2 server (issue 20; its flags are printed): both engines run as they
      # would on it, each at the same thread count, PyTorch with the system's malloc (no tcmalloc there)
      stage "CPU side by side on the host, threads $CPU_THREADS, $CPU_ROUNDS round(s) each"
      lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket)' || true
      grep -o -w -E 'avx2|avx512f|amx_tile' /proc/cpuinfo | sort | uniq -c || true
      for t in $CPU_THREADS; do
        timeout 300 python3 tools/bench/side_by_side.py --rounds "$CPU_ROUNDS" --threads "$t" \
          --java .rt/bin/java --java-opts=-Xmx4g --torch-malloc system --warmup-seconds 6 --steps 300 $CPU_ARGS
        # the dense network's inference op by op (its products against PyTorch's), when the test classes came too
        if [ -d engine/target/test-classes ]; then
          timeout 120 .rt/bin/java --add-modules jdk.incubator.vector -Xlog:disable -Ddeepcanvas.threads="$t" \
            -cp engine/target/classes:engine/target/test-classes io.deepcanvas.engine.backend.cpu.ConvNetOpTiming \
            "dense layer" 2>&1 | grep -v '^WARNING' || true
          timeout 120 python3 tools/bench/torch_ops.py --threads "$t" "dense layer" || true
        fi
      done ;;
    *) echo "unknown stage $s" ;;
  esac
done
