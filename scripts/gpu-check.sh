#!/bin/bash
# GPU check for the planned jnn CUDA stack, run on a GPU host FROM THE REPOSITORY ROOT:
#
#     bash scripts/gpu-check.sh
#
# It needs bundle/ (built on a CPU machine by scripts/gpu/prepare-bundle.sh and carried over): no
# Java, Maven or network is needed on the host. Steps, each guarded by `timeout` and none stopping
# the script when it fails (the whole run ends in under 5 minutes even if something hangs):
#   1. host: uname, glibc, nvidia-smi summary
#   2. unpack the bundled Java 17 runtime (jre.tar.xz) to a temp dir
#   3. find libcublasLt.so.13, libcublas.so.13, libcudnn.so.9 by file name (torch venv first)
#   4. GpuSmoke run A: System.load() of those libraries, then of the shims, by absolute path,
#      WITHOUT LD_LIBRARY_PATH; if it fails, run B once more WITH LD_LIBRARY_PATH and verbose
#      shim/loader logging
#   5. jnn's GPU test suite (JUnit console launcher, tests tagged "gpu" in dev.jnn.backend.cuda:
#      parity with the CPU back end, round trips, Module.cuda(), LeNet training, memory); jnn finds
#      and loads the driver, cuBLAS, cuDNN and its shims itself
#   6. jnn timing of PERFORMANCE.md workloads a-d (dev.jnn.backend.cuda.GpuBench)
#   7. PyTorch baseline (scripts/gpu/torch_baseline.py) with /opt/torch/.venv/bin/python
#   8. a compact summary table, printed last (with jnn/torch ratios)
# Everything is also written to $OUT/gpu-check.log when $OUT is set.
# Environment: BUNDLE (default <repo>/bundle), SEARCH (library search dirs), GPU_CHECK_DEADLINE_S
# (default 285), TORCH_ITERS (default 100, also jnn's timing), SMOKE_ITERS (default 200),
# SKIP_SMOKE=1 (skip step 4), JUNIT_OPTS (extra console-launcher options).
set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="${BUNDLE:-$ROOT/bundle}"
DEADLINE="${GPU_CHECK_DEADLINE_S:-285}"
TORCH_ITERS="${TORCH_ITERS:-100}"
SMOKE_ITERS="${SMOKE_ITERS:-200}"
LOG=""
if [ -n "${OUT:-}" ] && mkdir -p "$OUT" 2>/dev/null; then LOG="$OUT/gpu-check.log"; fi

main() {
  # JCuda extracts its JNI libraries into java.io.tmpdir: that must not be a noexec mount
  local TMPBASE="${TMPDIR:-/tmp}" WORK
  if findmnt -no OPTIONS -T "$TMPBASE" 2>/dev/null | grep -qw noexec && [ -d "$BUNDLE" ]; then TMPBASE="$BUNDLE"; fi
  WORK="$(mktemp -d "$TMPBASE/gpu-check.XXXXXX")" || { echo "cannot create a work directory"; return 1; }
  declare -A RES DETAIL
  local STEPS=()
  note() { # step status detail
    RES[$1]="$2"; DETAIL[$1]="$3"; STEPS+=("$1")
    echo "[$1] $2${3:+: $3}"
  }
  budget() { # cap reserve -> seconds for the next step (kill grace included), 0 if none left
    local left=$(( DEADLINE - SECONDS - $2 - 5 ))
    [ "$left" -gt "$1" ] && left=$1
    [ "$left" -lt 0 ] && left=0
    echo "$left"
  }
  run() { # name cap reserve cmd... -> output on stdout and in $WORK/name.out; sets RC
    local name=$1 t; t=$(budget "$2" "$3"); shift 3
    : > "$WORK/$name.out"
    if [ "$t" -lt 5 ]; then echo "[$name] not run: out of time"; RC=125; return; fi
    timeout -k 5 "$t" "$@" 2>&1 | tee "$WORK/$name.out"
    RC=${PIPESTATUS[0]}
    if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then echo "[$name] TIMED OUT after ${t}s"; fi
  }
  echo "=== gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ) in $ROOT (bundle: $BUNDLE, deadline ${DEADLINE}s)"

  # ------------------------------------------------------------------ 1. host
  echo; echo "=== 1. host"
  local GPU="-" DRIVER="-" GLIBC
  GLIBC="$(ldd --version 2>/dev/null | head -1 | grep -o '[0-9]\+\.[0-9]\+$')"
  echo "$(uname -srm), glibc ${GLIBC:-?}, $(nproc) CPUs"
  if command -v nvidia-smi >/dev/null 2>&1; then
    run smi 15 120 nvidia-smi --query-gpu=index,name,driver_version,compute_cap,memory.total,memory.used,clocks.sm,clocks.max.sm,temperature.gpu,power.draw,utilization.gpu,persistence_mode --format=csv
    if [ "$RC" -eq 0 ]; then
      GPU="$(sed -n 2p "$WORK/smi.out" | cut -d, -f2 | sed 's/^ *//')"
      DRIVER="$(sed -n 2p "$WORK/smi.out" | cut -d, -f3 | sed 's/^ *//')"
      note host PASS "$GPU, driver $DRIVER"
    else
      note host FAIL "nvidia-smi exit $RC"
    fi
    run smi2 10 120 sh -c 'nvidia-smi | head -12'
  else
    note host ABSENT "nvidia-smi not found (no NVIDIA driver on this host?)"
  fi

  # ------------------------------------------------------------------ 2. JRE
  echo; echo "=== 2. Java runtime from bundle/jre.tar.xz"
  local JAVA=""
  if [ -s "$BUNDLE/jre.tar.xz" ]; then
    mkdir -p "$WORK/jre"
    run jre 60 110 tar xJf "$BUNDLE/jre.tar.xz" -C "$WORK/jre"
    if [ "$RC" -ne 0 ]; then   # no xz on the host? Python's tarfile reads .tar.xz as well
      local py
      for py in /opt/torch/.venv/bin/python python3; do
        command -v "$py" >/dev/null 2>&1 || continue
        echo "tar failed (rc $RC): unpacking with $py tarfile"
        rm -rf "$WORK/jre"; mkdir -p "$WORK/jre"
        run jre 60 110 "$py" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$BUNDLE/jre.tar.xz" "$WORK/jre"
        [ "$RC" -eq 0 ] && break
      done
    fi
    if [ "$RC" -eq 0 ] && "$WORK/jre/bin/java" -version >"$WORK/jv.out" 2>&1; then
      JAVA="$WORK/jre/bin/java"
      note jre PASS "$(head -1 "$WORK/jv.out")"
    else
      note jre FAIL "unpack/run failed (rc $RC): $(head -2 "$WORK/jv.out" 2>/dev/null | tr '\n' ' ')"
    fi
  else
    note jre FAIL "$BUNDLE/jre.tar.xz missing: build it with scripts/gpu/prepare-bundle.sh and carry bundle/"
  fi

  # ------------------------------------------------------------------ 3. libraries
  echo; echo "=== 3. cuBLAS 13 / cuDNN 9 / driver libraries (by file name)"
  local DIRS=() d
  if [ -n "${SEARCH:-}" ]; then read -r -a DIRS <<<"$SEARCH"; else
    for d in /opt/torch/.venv /usr/local/cuda /usr/local/cuda-* /usr/lib/x86_64-linux-gnu; do [ -d "$d" ] && DIRS+=("$d"); done
  fi
  echo "search: ${DIRS[*]:-(none)}"
  : > "$WORK/found.txt"
  if [ ${#DIRS[@]} -gt 0 ]; then
    run find 45 110 find -H "${DIRS[@]}" \( -name libcublasLt.so.13 -o -name libcublas.so.13 -o -name libcudnn.so.9 \
        -o -name libnvrtc.so.13 \)
    grep '^/' "$WORK/find.out" > "$WORK/found.txt"
  fi
  pick() { # name [preferred dir] -> real path of the first hit (preferred dir first)
    local hit=""
    [ -n "${2:-}" ] && hit="$(grep -m1 "^$2/$1\$" "$WORK/found.txt")"
    [ -z "$hit" ] && hit="$(grep -m1 "/$1\$" "$WORK/found.txt")"
    [ -n "$hit" ] && readlink -f "$hit"
  }
  local BL LT DNN NVRTC CUDA1="" CUDA1_PRE=""
  BL="$(pick libcublas.so.13)"
  LT="$(pick libcublasLt.so.13 "$( [ -n "$BL" ] && dirname "$(grep -m1 '/libcublas.so.13$' "$WORK/found.txt")")")"
  DNN="$(pick libcudnn.so.9)"
  NVRTC="$(pick libnvrtc.so.13)"
  # libcuda.so.1 (the driver): run A clears LD_LIBRARY_PATH, so if the loader cache does not know
  # it (CUDA images often reach /usr/local/nvidia/lib64 through LD_LIBRARY_PATH only), preload it
  CUDA1="$(ldconfig -p 2>/dev/null | awk '/libcuda\.so\.1 /{print $NF; exit}')"
  if [ -z "$CUDA1" ]; then
    local CDIRS=() ld
    IFS=: read -r -a CDIRS <<<"${LD_LIBRARY_PATH:-}"
    for ld in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/local/nvidia /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib/wsl/lib; do CDIRS+=("$ld"); done
    for ld in "${CDIRS[@]}"; do
      [ -n "$ld" ] && [ -d "$ld" ] || continue
      case "$ld" in *compat*) continue;; esac   # forward-compat libcuda must match the kernel driver
      CUDA1_PRE="$(timeout 20 find -H "$ld" -maxdepth 3 -name libcuda.so.1 -not -path '*/compat/*' 2>/dev/null | head -1)"
      [ -n "$CUDA1_PRE" ] && { CUDA1_PRE="$(readlink -f "$CUDA1_PRE")"; break; }
    done
    CUDA1="${CUDA1_PRE:-not found}"
  fi
  echo "libcublasLt.so.13 : ${LT:-NOT FOUND}"
  echo "libcublas.so.13   : ${BL:-NOT FOUND}"
  echo "libcudnn.so.9     : ${DNN:-NOT FOUND}"
  echo "libnvrtc.so.13    : ${NVRTC:-not found} (not preloaded in run A)"
  echo "libcuda.so.1      : $CUDA1${CUDA1_PRE:+ (not in the ldconfig cache: preloaded by path)}"
  echo "LD_LIBRARY_PATH of this shell: ${LD_LIBRARY_PATH:-(unset)}"
  if [ -n "$DNN" ]; then
    echo "cuDNN dir: $(ls "$(dirname "$DNN")" | grep -E '^libcudnn' | tr '\n' ' ')"
    echo "libcudnn.so.9 RUNPATH: $(readelf -d "$DNN" 2>/dev/null | sed -n 's/.*R\(UN\)\?PATH.*\[\(.*\)\]/\2/p' | head -1)"
  fi
  if [ -x /opt/torch/.venv/bin/python ]; then
    echo "pip packages: $(timeout 30 /opt/torch/.venv/bin/python -c '
import importlib.metadata as m
out = []
for n in ("torch", "nvidia-cudnn-cu13", "nvidia-cublas", "nvidia-cuda-nvrtc", "nvidia-cuda-runtime"):
    try: out.append(n + " " + m.version(n))
    except Exception: out.append(n + " -")
print(", ".join(out))' 2>&1 | tail -1)"
  fi
  local missing=""
  [ -z "$LT" ] && missing+=" libcublasLt.so.13"; [ -z "$BL" ] && missing+=" libcublas.so.13"; [ -z "$DNN" ] && missing+=" libcudnn.so.9"
  if [ -z "$missing" ]; then note libs PASS "cublas $(basename "$BL"), cudnn $(basename "$DNN")"
  else note libs FAIL "not found:$missing"; fi
  if [ -n "$DNN$BL" ] && [ -s "$BUNDLE/natives/libJCudnn-12.6.0-linux-x86_64.so" ]; then
    echo "ldd check (LD_LIBRARY_PATH=shims:cudnn:cublas, diagnostics only):"
    LD_LIBRARY_PATH="$BUNDLE/shims:${DNN:+$(dirname "$DNN")}:${BL:+$(dirname "$BL")}" timeout 10 \
      ldd "$BUNDLE/natives/libJCudnn-12.6.0-linux-x86_64.so" "$BUNDLE/shims/libcudnn.so.8" 2>&1 \
      | grep -E 'libcudnn|libcublas|not found|version' | sed 's/^/   /'
  fi

  # ------------------------------------------------------------------ 4. GpuSmoke
  echo; echo "=== 4. GpuSmoke (JCuda 12.6 + JCublas2 12.6 + JCudnn 11.7 through the shims)"
  local CUDNN_MISSING=3000
  [ -s "$BUNDLE/shims/settings.sh" ] && . "$BUNDLE/shims/settings.sh"
  local PRE="" p
  for p in "$CUDA1_PRE" "$LT" "$BL" "$DNN" "$BUNDLE/shims/libcudnn.so.8" "$BUNDLE/shims/libcublas.so.12"; do
    [ -n "$p" ] && PRE="${PRE:+$PRE:}$p"
  done
  local CP="$BUNDLE/classes" j
  for j in "$BUNDLE"/lib/*.jar; do CP="$CP:$j"; done
  local SMOKE_A="NOT RUN" SMOKE_B="NOT RUN"
  smoke() { # name cap reserve [extra env/args...]
    local name=$1 cap=$2 reserve=$3 t; shift 3
    t=$(budget "$cap" "$reserve")
    mkdir -p "$WORK/tmp-$name"
    run "$name" "$cap" "$reserve" "$@" "$JAVA" -Xmx2g -XX:ErrorFile="$WORK/hs_err_$name.log" \
        -Djava.io.tmpdir="$WORK/tmp-$name" -cp "$CP" \
        -Dpreload="$PRE" -Dkernels="$BUNDLE/kernels" -Dcudnn.missing="$CUDNN_MISSING" \
        -Dbench.iters="$SMOKE_ITERS" -Dwatchdog=$(( t > 8 ? t - 3 : 5 )) ${SMOKE_JAVA_OPTS:-} GpuSmoke
    if [ -s "$WORK/hs_err_$name.log" ]; then   # the JVM crashed (e.g. in native code): show where
      echo "--- JVM crash report, native frames (hs_err_$name.log):"
      sed -n '/^Native frames:/,/^$/p' "$WORK/hs_err_$name.log" | head -16
      [ -n "${OUT:-}" ] && cp "$WORK/hs_err_$name.log" "$OUT/" 2>/dev/null
    fi
  }
  if [ -n "${SKIP_SMOKE:-}" ]; then
    echo "(skipped: SKIP_SMOKE is set)"
  elif [ -n "$JAVA" ] && [ -s "$BUNDLE/classes/GpuSmoke.class" ]; then
    echo "--- run A: preload by absolute path, no LD_LIBRARY_PATH"
    echo "preload: ${PRE//:/ }"
    smoke smokeA 100 190 env -u LD_LIBRARY_PATH
    SMOKE_A="$(smoke_status "$WORK/smokeA.out" "$RC")"
    note smokeA "${SMOKE_A%% *}" "no LD_LIBRARY_PATH: ${SMOKE_A#* }"
    if [ "$RC" -ne 0 ]; then
      local LDP="$BUNDLE/shims"
      for p in "$DNN" "$BL" "$NVRTC" "$CUDA1_PRE"; do [ -n "$p" ] && LDP="$LDP:$(dirname "$p")"; done
      LDP="$LDP${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      echo; echo "--- run B: retry with LD_LIBRARY_PATH=$LDP, verbose shims and JCuda loader logging"
      SMOKE_JAVA_OPTS="-Djcuda.LibUtils.level=INFO -Dverbose=true" \
        smoke smokeB 70 190 env LD_LIBRARY_PATH="$LDP" JCUDA_CUDNN8_SHIM_TARGET_VERBOSE=1 JCUDA_CUBLAS12_SHIM_TARGET_VERBOSE=1
      SMOKE_B="$(smoke_status "$WORK/smokeB.out" "$RC")"
      note smokeB "${SMOKE_B%% *}" "with LD_LIBRARY_PATH: ${SMOKE_B#* }"
    fi
  else
    note smokeA FAIL "not run: no Java runtime or no bundle/classes/GpuSmoke.class"
  fi

  # ------------------------------------------------------------------ 5. jnn GPU test suite
  echo; echo "=== 5. jnn GPU test suite (JUnit, @Tag(\"gpu\"))"
  local JNN="$BUNDLE/jnn" CPJ="" JUNIT="NOT RUN"
  if [ -s "$JNN/jnn-classes.jar" ] && [ -s "$JNN/jnn-test-classes.jar" ]; then
    CPJ="$JNN/jnn-test-classes.jar:$JNN/jnn-classes.jar"
    for j in "$BUNDLE"/lib/jcuda-12.6.0.jar "$BUNDLE"/lib/jcuda-natives-12.6.0-linux-x86_64.jar \
             "$BUNDLE"/lib/jcublas-12.6.0.jar "$BUNDLE"/lib/jcublas-natives-12.6.0-linux-x86_64.jar \
             "$BUNDLE"/lib/jcudnn-11.7.0.jar; do CPJ="$CPJ:$j"; done
  fi
  if [ -n "$JAVA" ] && [ -n "$CPJ" ] && [ -s "$JNN/junit-platform-console-standalone.jar" ]; then
    mkdir -p "$WORK/tmp-junit" "$WORK/junit-reports"
    run junit 150 95 "$JAVA" -Xmx8g -XX:ErrorFile="$WORK/hs_err_junit.log" -Djava.io.tmpdir="$WORK/tmp-junit" \
        -jar "$JNN/junit-platform-console-standalone.jar" execute --disable-banner --disable-ansi-colors \
        --details=tree --class-path "$CPJ" --select-class dev.jnn.backend.cuda.GpuCudaSuiteTest \
        --select-package dev.jnn.backend.cuda --include-tag gpu --fail-if-no-tests \
        --reports-dir "$WORK/junit-reports" ${JUNIT_OPTS:-}
    local jt jf
    jt="$(grep -m1 -oE '[0-9]+ tests successful' "$WORK/junit.out" | cut -d' ' -f1)"
    jf="$(grep -m1 -oE '[0-9]+ tests failed' "$WORK/junit.out" | cut -d' ' -f1)"
    if [ "$RC" -eq 0 ]; then JUNIT="PASS ${jt:-?} tests"; note junit PASS "${jt:-?} tests successful"
    elif [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then JUNIT="FAIL timed out"; note junit FAIL "timed out (${jt:-?} passed so far)"
    else JUNIT="FAIL"; note junit FAIL "exit $RC: ${jt:-0} successful, ${jf:-?} failed: $(grep -E '✘|\[X\]' "$WORK/junit.out" | sed -E 's/^[^A-Za-z]*//' | cut -c1-40 | head -6 | tr '\n' ';')"; fi
    if [ -s "$WORK/hs_err_junit.log" ]; then
      echo "--- JVM crash report, native frames (hs_err_junit.log):"
      sed -n '/^Native frames:/,/^$/p' "$WORK/hs_err_junit.log" | head -16
      [ -n "${OUT:-}" ] && cp "$WORK/hs_err_junit.log" "$OUT/" 2>/dev/null
    fi
    [ -n "${OUT:-}" ] && cp -r "$WORK/junit-reports" "$OUT/" 2>/dev/null
  else
    note junit FAIL "not run: no Java runtime or no bundle/jnn (rebuild the bundle with scripts/gpu/prepare-bundle.sh)"
  fi

  # ------------------------------------------------------------------ 6. jnn timing
  echo; echo "=== 6. jnn timing, PERFORMANCE.md workloads a-d (GpuBench)"
  if [ -n "$JAVA" ] && [ -n "$CPJ" ]; then
    mkdir -p "$WORK/tmp-bench"
    run jbench 90 45 "$JAVA" -Xmx8g -Djava.io.tmpdir="$WORK/tmp-bench" -cp "$CPJ" dev.jnn.backend.cuda.GpuBench --iters "$TORCH_ITERS"
    if [ "$RC" -eq 0 ]; then note jbench PASS "$(grep -m1 '^cuda:0\|^  cuda:0' "$WORK/jbench.out" | sed 's/^ *//' | cut -c1-100)"
    elif [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then note jbench FAIL "timed out"
    else note jbench FAIL "exit $RC: $(grep -m1 -E '^FAIL|FAILED|Exception' "$WORK/jbench.out" | cut -c1-120)"; fi
  else
    note jbench FAIL "not run: no Java runtime or no bundle/jnn"
  fi

  # ------------------------------------------------------------------ 7. PyTorch baseline
  echo; echo "=== 7. PyTorch baseline (same GPU, same run)"
  local PY="" TB="$ROOT/scripts/gpu/torch_baseline.py"
  [ -s "$TB" ] || TB="$BUNDLE/torch_baseline.py"
  if [ -x /opt/torch/.venv/bin/python ]; then PY=/opt/torch/.venv/bin/python
  else
    for p in python3 /usr/bin/python3; do
      if command -v "$p" >/dev/null 2>&1 && timeout 60 "$p" -c 'import torch' >/dev/null 2>&1; then PY="$(command -v "$p")"; break; fi
    done
  fi
  if [ -z "$PY" ]; then
    note torch ABSENT "/opt/torch/.venv/bin/python not present and no python3 with torch"
  elif [ ! -s "$TB" ]; then
    note torch FAIL "torch_baseline.py not found"
  else
    echo "python: $PY"
    run torch 150 8 env PYTHONUNBUFFERED=1 "$PY" "$TB" --iters "$TORCH_ITERS"
    if [ "$RC" -eq 0 ]; then note torch PASS "$(grep -m1 '^gpu ' "$WORK/torch.out" | cut -c1-150)"
    elif [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then note torch FAIL "timed out"
    else note torch FAIL "exit $RC: $(grep -m1 -E '^FAIL|Error' "$WORK/torch.out" | cut -c1-150)"; fi
  fi

  # ------------------------------------------------------------------ 8. summary
  local S="$WORK/smokeA.out"; [ -s "$WORK/smokeB.out" ] && S="$WORK/smokeB.out"
  infov() { grep -h -m1 "^INFO $1: " "$WORK/smokeB.out" "$WORK/smokeA.out" 2>/dev/null | head -1 | sed "s/^INFO $1: //"; }
  echo
  echo "======================================= GPU CHECK SUMMARY ======================================="
  printf '%-12s %s\n' "host" "$(uname -r), glibc ${GLIBC:-?}"
  [ "$GPU" = "-" ] && [ -n "$(infov gpu)" ] && GPU="$(infov gpu)"
  printf '%-12s %s\n' "gpu" "${GPU} | driver ${DRIVER} | cuDriverGetVersion $(infov cuDriverGetVersion || true)"
  printf '%-12s %s\n' "jnn stack" "cuDNN $(infov cudnn || true) | cuBLAS $(infov cublas || true) | nvPTXCompiler $(infov nvPTXCompiler || true)"
  printf '%-12s %s\n' "libraries" "${BL:-no cublas} | ${DNN:-no cudnn}"
  local tv; tv="$(grep -m1 '^gpu .*| torch' "$WORK/torch.out" 2>/dev/null | sed 's/^gpu [^|]*| //')"
  printf '%-12s %s\n' "torch" "${tv:-(no result)}"
  echo "-------------------------------------------------------------------------------------------------"
  printf '%-8s %-7s %s\n' "step" "result" "detail"
  local s
  for s in "${STEPS[@]}"; do printf '%-8s %-7s %s\n' "$s" "${RES[$s]}" "$(echo "${DETAIL[$s]}" | cut -c1-110)"; done
  if [ -s "$WORK/smokeA.out" ]; then
    echo "-------------------------------------------------------------------------------------------------"
    printf '%-22s %-6s %-6s %s\n' "GpuSmoke section" "run A" "run B" "detail (last run)"
    local keys k a b det
    keys="$(grep -hoE '^(PASS|FAIL|SKIP) [a-z0-9_.]+' "$WORK/smokeA.out" "$WORK/smokeB.out" 2>/dev/null | awk '{print $2}' | awk '!seen[$0]++')"
    for k in $keys; do
      a="$(grep -m1 -oE "^(PASS|FAIL|SKIP) $k:" "$WORK/smokeA.out" | cut -d' ' -f1)"
      b="$(grep -m1 -oE "^(PASS|FAIL|SKIP) $k:" "$WORK/smokeB.out" 2>/dev/null | cut -d' ' -f1)"
      det="$(grep -m1 -E "^(PASS|FAIL|SKIP) $k:" "$S" | sed -E "s/^(PASS|FAIL|SKIP) $k: //" | cut -c1-100)"
      printf '%-22s %-6s %-6s %s\n' "$k" "${a:--}" "${b:--}" "$det"
    done
  fi
  echo "-------------------------------------------------------------------------------------------------"
  echo "timings (median, ms; jnn stack = JCudnn 11.7 JNI -> shim -> cuDNN 9, CUDA events):"
  local b1
  for b1 in heur_fma heur_default find_default; do
    printf '  jnn stack  a fwd (conv+bias+relu x2) %-13s %s\n' "$b1" "$(infov "bench.a_fwd.$b1" || true)"
  done
  printf '  jnn stack  a fwd convs only          %-13s %s\n' "heur_fma" "$(infov bench.convs_only.heur_fma || true)"
  grep -q '^INFO bench' "$WORK/smokeA.out" "$WORK/smokeB.out" 2>/dev/null || echo "  (no jnn-stack timings: see bench.seed above)"
  if grep -q '^=== torch baseline' "$WORK/torch.out" 2>/dev/null; then
    sed -n '/^=== torch baseline/,$p' "$WORK/torch.out" | grep -v '^=== torch' | grep -v '^gpu ' | sed 's/^/  torch  /'
  else
    echo "  torch: no baseline (${RES[torch]:-not run})"
  fi
  if grep -q '^=== jnn (GPU)' "$WORK/jbench.out" 2>/dev/null; then
    sed -n '/^=== jnn (GPU)/,$p' "$WORK/jbench.out" | grep -v '^=== jnn' | sed 's/^/  jnn    /'
  else
    echo "  jnn: no timing (${RES[jbench]:-not run})"
  fi
  if grep -q '^=== jnn (GPU)' "$WORK/jbench.out" 2>/dev/null && grep -q '^=== torch baseline' "$WORK/torch.out" 2>/dev/null; then
    echo "jnn vs torch, same GPU, median ms (ratio = jnn / torch; jnn timed sync-to-sync, torch with CUDA events):"
    printf '  %-14s | %9s %9s %6s | %9s %9s %6s | %9s %9s %6s\n' workload "jnn fp32" "torch" ratio "jnn bench" "torch" ratio "jnn tf32" "torch" ratio
    local w
    for w in "a fwd" "a fwd+bwd" "b fwd" "b train step" "c fwd" "c fwd+bwd" "d fwd" "d fwd+bwd"; do
      local jl tl
      jl="$(sed -n '/^=== jnn (GPU)/,$p' "$WORK/jbench.out" | grep -m1 "^$w  *|")"
      tl="$(sed -n '/^=== torch baseline/,$p' "$WORK/torch.out" | grep -m1 "^$w  *|")"
      awk -v w="$w" -v j="$jl" -v t="$tl" 'BEGIN {
        nj = split(j, a, "|"); nt = split(t, b, "|"); line = sprintf("  %-14s", w)
        for (k = 2; k <= 4; k++) {
          x = a[k] + 0; y = b[k] + 0
          r = (x > 0 && y > 0) ? sprintf("%6.2f", x / y) : "     -"
          line = line sprintf(" | %9.4f %9.4f %s", x, y, r)
        }
        print line }'
    done
  fi
  printf '%-12s %s\n' "jnn suite" "${JUNIT}"
  echo "-------------------------------------------------------------------------------------------------"
  local overall=PASS
  for s in "${STEPS[@]}"; do
    case "$s:${RES[$s]}" in smokeB:*) ;; *:FAIL|*:ABSENT) overall=FAIL;; esac
  done
  [ "${RES[smokeA]:-}" = FAIL ] && [ "${RES[smokeB]:-}" = PASS ] && overall="FAIL (run A failed; run B with LD_LIBRARY_PATH passed)"
  echo "OVERALL: $overall   ($SECONDS s)"
  rm -rf "$WORK"
  case "$overall" in PASS) return 0;; *) return 1;; esac
}

# "PASS n/m sections" or "FAIL ..." from a GpuSmoke output and its exit status
smoke_status() {
  local f=$1 rc=$2 r
  r="$(grep -m1 '^RESULT ' "$f" | sed 's/^RESULT //')"
  if [ "$rc" -eq 0 ] && [ -n "$r" ]; then echo "PASS $r"
  elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then echo "FAIL timed out (${r:-no RESULT line})"
  elif [ -n "$r" ]; then echo "FAIL $r; failed: $(grep -oE '^FAIL [a-z0-9_.]+' "$f" | cut -d' ' -f2 | tr '\n' ' ')"
  else
    local last frame
    last="$(grep -oE '^RUN +[a-z0-9_.]+' "$f" | tail -1 | awk '{print $2}')"
    frame="$(grep -A1 '^# Problematic frame:' "$f" | tail -1 | sed 's/^# *//')"
    echo "FAIL exit $rc, no RESULT line: JVM died in section '${last:-before the first}'${frame:+ at $frame}"
  fi
}

if [ -n "$LOG" ]; then
  main 2>&1 | tee "$LOG"
  exit "${PIPESTATUS[0]}"
else
  main 2>&1
fi
