#!/bin/bash
# Builds jnn's kernel module from native-kernels/*.cu{,h} with nvcc (CUDA 12.x or 13.x) into
#   src/jnn-cuda/main/resources/dev/jnn/backend/cuda/kernels/  (shipped in dev.jnn:jnn-cuda)
#     jnn.fatbin          SASS sm_80/86/89/90 + PTX compute_75 (loaded when cuDriverGetVersion >= 13000)
#     jnn.ptx.gz          PTX for compute_75 with .version rewritten to 8.0 (drivers R525+ JIT it)
#     jnn.sources.sha256  hash of the sources these were built from, and the nvcc version
# The outputs are committed, so that builds without nvcc work; KernelResourcesTest fails when the
# sources changed without a rebuild. Run after editing any .cu/.cuh file here:
#   native-kernels/build.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$HERE/../src/jnn-cuda/main/resources/dev/jnn/backend/cuda/kernels"
export PATH="$PATH:/usr/local/cuda/bin"
command -v nvcc >/dev/null || { echo "build.sh: nvcc not found" >&2; exit 2; }
mkdir -p "$OUT"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
NVCC_VERSION="$(nvcc --version | tail -1)"
echo "build.sh: $NVCC_VERSION"
nvcc -ptx -arch=compute_75 "$HERE/jnn.cu" -o "$TMP/jnn.ptx"
sed -E '0,/^\.version [0-9]+\.[0-9]+/s//.version 8.0/' "$TMP/jnn.ptx" > "$TMP/jnn80.ptx"
grep -q '^\.version 8\.0$' "$TMP/jnn80.ptx" || { echo "build.sh: .version rewrite failed" >&2; exit 1; }
gzip -n -9 -c "$TMP/jnn80.ptx" > "$OUT/jnn.ptx.gz"
nvcc -fatbin -Xfatbin=-compress-all \
  -gencode arch=compute_80,code=sm_80 -gencode arch=compute_86,code=sm_86 \
  -gencode arch=compute_89,code=sm_89 -gencode arch=compute_90,code=sm_90 \
  -gencode arch=compute_75,code=compute_75 \
  "$HERE/jnn.cu" -o "$OUT/jnn.fatbin"
{
  echo "sources-sha256 $("$HERE/sources-hash.sh")"
  echo "nvcc $NVCC_VERSION"
} > "$OUT/jnn.sources.sha256"
echo "build.sh: $(grep -c '^\.visible \.entry' "$TMP/jnn.ptx") kernels"
ls -l "$OUT"
