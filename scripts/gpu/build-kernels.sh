#!/bin/bash
# Builds the smoke-test kernels (smoke_kernels.cu) with nvcc 13, CPU only:
#   <out>/smoke_kernels.fatbin          SASS sm_80/86/89/90 + PTX compute_75 (.version 9.0, driver >= 580)
#   <out>/smoke_kernels.compute_75.ptx  PTX for the driver JIT; GpuSmoke also rewrites its .version to 8.0
# If CP (a classpath holding jcuda-12.6.0.jar + jcuda-natives-12.6.0-linux-x86_64.jar) is set, it also
# checks with PtxTool (JCuda's nvPTXCompiler 12.0, no GPU needed) that the PTX rewritten to
# .version 8.0 compiles for sm_75..sm_90 - i.e. the kernels use no PTX feature newer than ISA 8.0.
# usage: build-kernels.sh OUTDIR      (exit status != 0 if nvcc or a PTX 8.0 check fails)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUTDIR="${1:?usage: build-kernels.sh OUTDIR}"
mkdir -p "$OUTDIR"; OUTDIR="$(cd "$OUTDIR" && pwd)"
export PATH="$PATH:/usr/local/cuda/bin"
command -v nvcc >/dev/null || { echo "build-kernels: nvcc not found" >&2; exit 2; }
SRC="$HERE/smoke_kernels.cu"
echo "build-kernels: $(nvcc --version | tail -1)"
nvcc -ptx -arch=compute_75 "$SRC" -o "$OUTDIR/smoke_kernels.compute_75.ptx"
nvcc -fatbin \
     -gencode arch=compute_80,code=sm_80 -gencode arch=compute_86,code=sm_86 \
     -gencode arch=compute_89,code=sm_89 -gencode arch=compute_90,code=sm_90 \
     -gencode arch=compute_75,code=compute_75 \
     "$SRC" -o "$OUTDIR/smoke_kernels.fatbin"
echo "build-kernels: PTX $(grep -m1 '^\.version' "$OUTDIR/smoke_kernels.compute_75.ptx") $(grep -m1 '^\.target' "$OUTDIR/smoke_kernels.compute_75.ptx"), entries: $(grep -c '^\.visible \.entry' "$OUTDIR/smoke_kernels.compute_75.ptx")"
ls -l "$OUTDIR"/smoke_kernels.*
if [ -n "${CP:-}" ]; then
  T="$(mktemp -d)"; trap 'rm -rf "$T"' EXIT
  javac -nowarn -cp "$CP" -d "$T" "$HERE/PtxTool.java"
  rc=0
  for sm in sm_75 sm_80 sm_86 sm_89 sm_90; do
    java -Djava.io.tmpdir="$T" -cp "$CP:$T" PtxTool "$OUTDIR/smoke_kernels.compute_75.ptx" "$sm" "$T/$sm.cubin" --ptx-version 8.0 || rc=1
  done
  [ $rc -eq 0 ] && echo "build-kernels: PTX rewritten to .version 8.0 compiles for sm_75..sm_90: OK" \
               || { echo "build-kernels: PTX 8.0 rewrite check FAILED" >&2; exit 1; }
fi
