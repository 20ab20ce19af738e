#!/usr/bin/env bash
# Builds the benchmarks and runs the backend comparison (JMH), writing JSON, report.md and gemm.png
# under benchmarks/results/<timestamp>/. Usage: benchmarks/run.sh [--quick | --smoke | --peer] [--avx2] [--peak GFLOPS]
#   --quick  about 5 minutes on 2 cores: a handful of GEMM shapes and conv layers
#   --peer   about 12 minutes on 2 idle cores: issue 10's comparison, GEMM 1024^3 and the VGG conv shapes at
#            1 and 2 threads against OpenBLAS, the training step and inference at batch 128, 32x32 and 50x50
#   --smoke  one short iteration of the smallest shapes per group: checks the suite end to end
#   --avx2   forks capped at 256-bit vectors (-XX:UseAVX=2): what an AVX2 machine (Zen 1) runs
#   --peak G one core's FMA peak in GFLOP/s for the "of peak" columns (default 34, a Zen 1 core)
#   (default) every square and VGG16 conv GEMM at 32/50 px, batch 32/128, all conv layers and the
#            training step at 32/50 px: about an hour on 2 cores
# With TORNADOVM_HOME set (a TornadoVM installation, see tornado-config/README.md), the GEMM, conv and
# training-step groups also run on the tornado backend: its forks get tornado-config/jvm-args.sh's
# options (device: VGG4J_TORNADO_BACKEND / VGG4J_TORNADO_DEVICE, heap: VGG4J_TORNADO_MEMORY MiB, default
# 3072, enough for the batch-128 50x50 step). Without it the report lists tornado as skipped.
# Every plan also times PyTorch (benchmarks/pytorch_peer.py: the seed's model, fp32, Adam, CE sum, 2 threads)
# on its training-step and inference cases when $VGG4J_PYTHON (default python3) can import torch, and the
# report gives cpu/PyTorch ratios; otherwise it says the peer was skipped.
# OpenBLAS picks its own kernel: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for this command only
# (with --avx2, OPENBLAS_CORETYPE=Haswell: its AVX2 kernel, as the forks'); the report names the kernel it ran.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [[ ! -x "$JAVA_HOME/bin/java" ]]; then
  echo "run.sh: needs a JDK 25; set JAVA_HOME (looked at $JAVA_HOME)" >&2
  exit 1
fi

./mvnw -B -q -pl benchmarks -am package -Dmaven.test.skip=true
tornado=()
if [[ -n "${TORNADOVM_HOME:-}" ]]; then
  argfile=benchmarks/target/tornado.args
  VGG4J_TORNADO_MEMORY="${VGG4J_TORNADO_MEMORY:-3072}" bash tornado-config/jvm-args.sh --out "$argfile"
  tornado=(--tornado "$argfile")
fi
# The suite passes the root pom's vgg4j.jvm.args to the JMH forks (and the argfile to the tornado forks);
# this JVM only needs the Vector module to load the backends' classes while it enumerates benchmarks.
openblas=(-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
for arg in "$@"; do
  if [[ "$arg" == --avx2 ]]; then
    openblas+=(OPENBLAS_CORETYPE=Haswell)
  fi
done
exec env "${openblas[@]}" "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -Djava.awt.headless=true \
  -jar benchmarks/target/benchmarks.jar "${tornado[@]}" --python "${VGG4J_PYTHON:-python3}" "$@"
