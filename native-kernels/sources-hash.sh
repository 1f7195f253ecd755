#!/bin/bash
# sha256 of the kernel sources as jnn.sources.sha256 records it: for each native-kernels/*.cu and
# *.cuh file in byte order of its name, the name, a newline, then the file's bytes.
set -euo pipefail
cd "$(dirname "$0")"
for f in $(ls *.cu *.cuh | LC_ALL=C sort); do printf '%s\n' "$f"; cat "$f"; done | sha256sum | cut -d' ' -f1
