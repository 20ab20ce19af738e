#!/usr/bin/env bash
# One device session's checks on the lent H200 (about 15 minutes of device time in all, so every
# step has a timeout and the whole script ends in about 9 minutes). Needs .tornado-gpu/bundle.tar.xz
# from bundle.sh (carry .tornado-gpu; unpacked into /tmp/tornado-gpu); writes its logs into $OUT (the device tool brings them back) and
# modules/backend-tornado/gpu-runs/<date>-<gpu>/ there.
#   device tool: run(command="bash modules/backend-tornado/gpu-runs/run-h200.sh", carry=[".tornado-gpu"], timeout_s=600)
# Steps, each logged to its own file:
#   env.txt        nvidia-smi, driver libraries
#   cublas.txt     the same-run peer: PyTorch/cuBLAS fp32 SGEMM (TF32 off) at 1024 / 2048 / 4096, and cuDNN
#                  fp32 conv2d forward / input grad / weight grad of every VGG16 layer at 50x50, batch 128
#   kit.log        conformance kit + device tests on PTX (steps recorded: default on a GPU)
#   cost.log       GraphCompileCost: compiling and replaying 1 / 32 / 200-task graphs, without and with withCUDAGraph()
#   bench-ops.log  DeviceBenchmark: GEMM sweep, the implicit-GEMM convolutions of every VGG16 layer at 50x50
#                  (batch 128, the same shapes as the cuDNN peer), recipe step (vgg16_bn, 50x50, batch 128) op by op
#   bench-rec.log  the recipe step recorded (one execute() per step)
#   bench-fp16.log --precision fp16 (autocast): GEMM 4096 and the recipe step recorded
# Environment: BACKEND (ptx; opencl for NVIDIA's OpenCL, or PoCL here), KIT_TIMEOUT, COST_TIMEOUT,
# BENCH_TIMEOUT (seconds), SKIP_KIT=1, GEMM (sizes), CONV_SIZE (VGG16 convs' input side; 0: none), STEPS, BATCH.
set -uo pipefail
cd "$(dirname "$0")/../../.."
[ -f .tornado-gpu/bundle.tar.xz ] || { echo "run-h200: .tornado-gpu/bundle.tar.xz missing: run bundle.sh here and carry .tornado-gpu" >&2; exit 2; }
bundle=/tmp/tornado-gpu
if [ ! -d "$bundle/jdk" ]; then
  echo "[run-h200] unpacking the bundle"
  tar -C /tmp -xJf .tornado-gpu/bundle.tar.xz || { echo "run-h200: could not unpack the bundle" >&2; exit 2; }
fi
export JAVA_HOME=$bundle/jdk TORNADOVM_HOME=$bundle/tornado
backend=${BACKEND:-ptx}
gpu=$( (nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null || echo cpu) | head -1 | tr -cs 'A-Za-z0-9' '-' | tr 'A-Z' 'a-z' | sed 's/-$//')
logs=modules/backend-tornado/gpu-runs/$(date -u +%Y-%m-%d)-$gpu-$backend
out=${OUT:-$logs}
mkdir -p "$logs" "$out"
started=$(date +%s)
step() { echo "[run-h200 +$(( $(date +%s) - started ))s] $*"; }
keep() { cp "$out/$1" "$logs/$1" 2>/dev/null || true; }

step "bundle at commit $(cat "$bundle/commit.txt" 2>/dev/null), backend $backend, logs in $logs"
{ nvidia-smi 2>&1; ldconfig -p | grep -E 'libcuda|OpenCL|nvidia-opencl'; ls /etc/OpenCL/vendors 2>&1; } > "$out/env.txt"; keep env.txt

args=$out/tornado.args
tornado-config/jvm-args.sh --backend "$backend" --memory 4096 --test --out "$args" || { echo "run-h200: jvm-args.sh failed" >&2; exit 2; }
cp=$(ls "$bundle"/lib/*.jar | tr '\n' ':')

step "cuBLAS / cuDNN peer (PyTorch fp32, TF32 off)"
timeout 150 python3 - > "$out/cublas.txt" 2>&1 <<'PY' || echo "cuBLAS peer failed or timed out (see cublas.txt)"
import torch, time
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.backends.cudnn.benchmark = True
def seconds(op, reps=20):
    for _ in range(3): op()
    torch.cuda.synchronize(); t = time.perf_counter()
    for _ in range(reps): op()
    torch.cuda.synchronize(); return (time.perf_counter() - t) / reps
for n in (1024, 2048, 4096):
    a = torch.randn(n, n, device="cuda"); b = torch.randn(n, n, device="cuda")
    s = seconds(lambda: a @ b)
    print(f"cublas sgemm {n}: {s*1e3:.3f} ms, {2*n**3/s/1e12:.2f} TFLOP/s")
# VGG16's distinct 3x3 convolutions at 50x50, batch 128 (DeviceBenchmark convSize=50 prints the same rows).
size, c, seen = 50, 3, set()
for f in (64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0):
    if f == 0: size //= 2; continue
    if (c, f, size) not in seen:
        seen.add((c, f, size))
        x = torch.randn(128, c, size, size, device="cuda"); w = torch.randn(f, c, 3, 3, device="cuda")
        gy = torch.randn(128, f, size, size, device="cuda")
        fwd = seconds(lambda: torch.nn.functional.conv2d(x, w, padding=1))
        gin = seconds(lambda: torch.nn.grad.conv2d_input(x.shape, w, gy, padding=1))
        gw = seconds(lambda: torch.nn.grad.conv2d_weight(x, w.shape, gy, padding=1))
        fl = 2.0 * 128 * f * size * size * c * 9
        print(f"cudnn conv x[128,{c},{size},{size}] w[{f},{c},3,3]: forward {fwd*1e3:.3f} ms {fl/fwd/1e9:.1f} GFLOP/s"
              f" | input grad {gin*1e3:.3f} ms {fl/gin/1e9:.1f} GFLOP/s | weight grad {gw*1e3:.3f} ms {fl/gw/1e9:.1f} GFLOP/s")
    c = f
PY
keep cublas.txt; cat "$out/cublas.txt"

if [ "${SKIP_KIT:-0}" != 1 ]; then
  step "kit on $backend (timeout ${KIT_TIMEOUT:-240} s)"
  timeout "${KIT_TIMEOUT:-240}" "$JAVA_HOME/bin/java" @"$args" -cp "$cp$bundle/junit.jar" org.junit.platform.console.ConsoleLauncher \
    execute --disable-banner --details=summary --select-package dev.vgg4j.tornado > "$out/kit.log" 2>&1
  echo "kit exit $?"; keep kit.log; grep -E "tests (successful|failed|found)" "$out/kit.log"
fi

step "graph compile cost (timeout ${COST_TIMEOUT:-120} s)"
{
  timeout "${COST_TIMEOUT:-120}" "$JAVA_HOME/bin/java" @"$args" -cp "$cp" dev.vgg4j.tornado.GraphCompileCost tasks=1,32,200 kernels=copy,gemm cudaGraph=false
  [ "$backend" = ptx ] && timeout "${COST_TIMEOUT:-120}" "$JAVA_HOME/bin/java" @"$args" -cp "$cp" dev.vgg4j.tornado.GraphCompileCost tasks=1,32,200 kernels=copy,gemm cudaGraph=true
} > "$out/cost.log" 2>&1
keep cost.log; grep -E "tasks:|Exception" "$out/cost.log"

for mode in ops rec; do
  record=false; [ $mode = rec ] && record=true
  step "recipe step, recording $record (timeout ${BENCH_TIMEOUT:-150} s)"
  timeout "${BENCH_TIMEOUT:-150}" "$JAVA_HOME/bin/java" @"$args" -Dvgg4j.tornado.record=$record -cp "$cp" dev.vgg4j.tornado.DeviceBenchmark \
    gemmSizes=$([ $mode = ops ] && echo "${GEMM:-1024,2048,4096}" || echo 256) convSize=$([ $mode = ops ] && echo "${CONV_SIZE:-50}" || echo 0) \
    steps=${STEPS:-8} batch=${BATCH:-128} > "$out/bench-$mode.log" 2>&1
  echo "bench exit $?"; keep bench-$mode.log; grep -E "^gemm|^conv|step|per step|total" "$out/bench-$mode.log"
done
step "recipe step in fp16 autocast, recorded (timeout ${BENCH_TIMEOUT:-150} s)"
timeout "${BENCH_TIMEOUT:-150}" "$JAVA_HOME/bin/java" @"$args" -Dvgg4j.tornado.record=true -cp "$cp" dev.vgg4j.tornado.DeviceBenchmark \
  gemmSizes=4096 steps=${STEPS:-8} batch=${BATCH:-128} precision=fp16 > "$out/bench-fp16.log" 2>&1
echo "bench exit $?"; keep bench-fp16.log; grep -E "^device|^gemm|step|per step|total" "$out/bench-fp16.log"
step "done"
