#!/bin/bash
# Kept so that the old instruction still works: the GPU-host check is scripts/gpu/device-run.sh
# (one implementation; see scripts/gpu/README.md). As this script always did, it also runs
# GpuSmoke, the check of the JCuda + shims stack without jnn (SMOKE=0 to leave it out).
#
#     bash scripts/gpu-check.sh [--dry-run]
SMOKE="${SMOKE-1}"
[ "$SMOKE" = 0 ] && SMOKE=""
export SMOKE
exec bash "$(dirname "${BASH_SOURCE[0]}")/gpu/device-run.sh" "$@"
