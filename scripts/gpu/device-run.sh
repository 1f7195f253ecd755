#!/bin/bash
# The one command run on a lent GPU host, FROM THE REPOSITORY ROOT, with bundle/ carried along
# (built on a CPU machine by scripts/gpu/prepare-bundle.sh: Java runtime, JCuda jars, jnn's classes
# and test classes, the JUnit console launcher; the host needs no Java, Maven or network):
#
#     bash scripts/gpu/device-run.sh                # GPU host
#     bash scripts/gpu/device-run.sh --dry-run      # CPU machine, after mvn test-compile (or verify)
#
# Steps, in order of value; each runs under `timeout`, none stops the run, the whole run keeps to
# its own deadline (DEVICE_RUN_DEADLINE_S, default 480 s) and the summary is printed last, one
# `STEP STATUS detail` line per step (PASS, FAIL, ABSENT, TIMEOUT, SKIP):
#   host        GPU, driver, CUDA version, the cuDNN / cuBLAS libraries found, PyTorch
#   setup       the Java runtime (bundle/jre.tar.xz unpacked; the dry run: the JDK on PATH) and
#               the classpath (bundle/jnn + bundle/lib; the dry run: the modules' src/*/target/ +
#               src/examples/target/test.classpath)
#   smoke       GpuSmoke, the pre-library stack check (only with SMOKE=1)
#   suite       jnn's @Tag("gpu") suite (dev.jnn.backend.cuda.GpuCudaSuiteTest, JUnit console)
#   probes      dev.jnn.backend.cuda.GpuProbes: staging ring round trips, uploads without syncs,
#               cuDNN Find parity, two threads + hand-off, out of memory and recovery, PTX 8.0
#               through the JIT, a 2^30-element tensor, a 1 GiB download (one line per probe)
#   probes-emu  the dry run only: GpuProbes --emulated (the CPU emulation of the device)
#   mainjob     the main job, TrainFashionMnist --device cuda for MAINJOB_EPOCHS (2) epochs
#   bench       GpuBench (docs/PERFORMANCE.md workloads a-d) vs scripts/gpu/torch_baseline.py, the same
#               sync + wall-clock timer on both sides (torch's CUDA-event times printed too)
#   torch-mainjob  scripts/gpu/torch_mainjob.py, the PyTorch replica of the main job
#   transfer    host-device GB/s: jnn (GpuBench --micro) vs PyTorch pageable and pinned copies
#   launch      microseconds per small op, jnn vs PyTorch (same runs as transfer)
#   sanitizer   compute-sanitizer --tool memcheck on a short GpuProbes run, when present
# Files go to $OUT when it is set: device-run.log (everything), summary.md (ready to commit to
# docs/gpu-runs/), each step's output (steps/), JUnit reports, JVM crash reports.
# Environment: BUNDLE (default <repo>/bundle), DEVICE_RUN_DEADLINE_S, DRY_RUN=1 (= --dry-run),
# DEVICE_RUN_STEPS (comma-separated steps to run, e.g. suite,probes,sanitizer; the others are
# SKIPped; default all), JNN_JAVA_OPTS (extra options for every JVM step, e.g. -Djnn.cudnn.verbose=true),
# BENCH_ITERS (50), MAINJOB_EPOCHS (2), SEARCH (library search dirs), SMOKE=1, JUNIT_OPTS.
# Exit status: 0 when no step FAILed or timed out, 1 otherwise; 2 for a bad command line.
set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DRY="${DRY_RUN:-0}"
for a in "$@"; do
  case "$a" in
    --dry-run) DRY=1 ;;
    -h|--help) sed -n '2,/^set -u/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "device-run: unknown argument $a (try --help)" >&2; exit 2 ;;
  esac
done
[ "$DRY" = 0 ] || DRY=1
BUNDLE="${BUNDLE:-$ROOT/bundle}"
if [ "$DRY" = 1 ]; then DEADLINE="${DEVICE_RUN_DEADLINE_S:-90}"; else DEADLINE="${DEVICE_RUN_DEADLINE_S:-480}"; fi
ITERS="${BENCH_ITERS:-${TORCH_ITERS:-50}}"
EPOCHS="${MAINJOB_EPOCHS:-2}"
LOG=""
if [ -n "${OUT:-}" ] && mkdir -p "$OUT" 2>/dev/null; then OUT="$(cd "$OUT" && pwd)"; LOG="$OUT/device-run.log"; else OUT=""; fi
# a JVM or python step that finds no GPU says so with one of these (mapped to ABSENT without a GPU)
NOGPU_RE='no usable GPU|CudaUnavailableException|CUDA is not available|libcuda\.so\.1 was not found|^FAIL jnn: |is_available\(\) is False|no NVIDIA driver'

main() {
  cd "$ROOT" || return 1
  local TMPBASE="${TMPDIR:-/tmp}" WORK
  # JCuda extracts its JNI libraries into java.io.tmpdir: that must not be a noexec mount
  if findmnt -no OPTIONS -T "$TMPBASE" 2>/dev/null | grep -qw noexec && [ -d "$BUNDLE" ]; then TMPBASE="$BUNDLE"; fi
  WORK="$(mktemp -d "$TMPBASE/device-run.XXXXXX")" || { echo "cannot create a work directory"; return 1; }
  declare -A RES DETAIL
  local STEPS=() RC=0
  local SKIPPED=0   # set by run when the deadline left no time for a command
  note() { # step status detail
    [ -n "${RES[$1]+x}" ] || STEPS+=("$1")
    RES[$1]="$2"; DETAIL[$1]="$3"
    if [ "$2" = SKIP ] && [ "$SKIPPED" = 1 ]; then DETAIL[$1]="not run: out of time (deadline ${DEADLINE} s)"; fi
    echo "[$1] $2${3:+: $3}"
    write_summary_md >/dev/null 2>&1 || true   # kept current, so a killed run still leaves one
  }
  budget() { # cap reserve -> seconds for the next step (kill grace included), 0 if none left;
    # reserve: seconds kept for the later steps, in a 480 s run (scaled to the deadline)
    local left=$(( DEADLINE - SECONDS - $2 * DEADLINE / 480 - 5 ))
    [ "$left" -gt "$1" ] && left=$1
    [ "$left" -lt 0 ] && left=0
    echo "$left"
  }
  want() { # step -> true when DEVICE_RUN_STEPS is unset or names it (comma-separated)
    [ -z "${DEVICE_RUN_STEPS:-}" ] || [[ ",$DEVICE_RUN_STEPS," == *",$1,"* ]]
  }
  run() { # name cap reserve cmd... -> output on stdout and in $WORK/name.out; sets RC and T
    local name=$1; T=$(budget "$2" "$3"); shift 3
    : > "$WORK/$name.out"
    SKIPPED=0
    if [ "$T" -lt 5 ]; then echo "[$name] not run: out of time"; RC=125; SKIPPED=1; return; fi
    timeout -k 5 "$T" "$@" 2>&1 | tee "$WORK/$name.out"
    RC=${PIPESTATUS[0]}
    if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then echo "[$name] TIMED OUT after ${T}s"; fi
    if [ -n "$OUT" ]; then mkdir -p "$OUT/steps"; cp "$WORK/$name.out" "$OUT/steps/" 2>/dev/null; fi
  }
  status_of() { # name rc -> PASS/FAIL/ABSENT/TIMEOUT/SKIP for a step that needs the GPU
    case "$2" in
      0) echo PASS ;;
      124|137) echo TIMEOUT ;;
      125) echo SKIP ;;
      *) if [ "$HAVE_GPU" = 0 ] && grep -qE "$NOGPU_RE" "$WORK/$1.out"; then echo ABSENT; else echo FAIL; fi ;;
    esac
  }
  why() { # name -> the first line that says what went wrong
    grep -m1 -E "$NOGPU_RE|Exception|Error|FAIL|error" "$WORK/$1.out" 2>/dev/null | sed 's/^[[:space:]]*//' | cut -c1-150
  }
  crash_report() { # name: show where the JVM died, if it did
    if [ -s "$WORK/hs_err_$1.log" ]; then
      echo "--- JVM crash report, native frames (hs_err_$1.log):"
      sed -n '/^Native frames:/,/^$/p' "$WORK/hs_err_$1.log" | head -16
      [ -n "$OUT" ] && cp "$WORK/hs_err_$1.log" "$OUT/" 2>/dev/null
    fi
  }
  echo "=== device-run $(date -u +%Y-%m-%dT%H:%M:%SZ) in $ROOT ($( [ "$DRY" = 1 ] && echo "DRY RUN: target/ classes, no bundle" || echo "bundle: $BUNDLE"), deadline ${DEADLINE}s)"

  # ================================================================== host
  echo; echo "=== host"
  local GPU="-" DRIVER="-" CUDAV="-" CC="-" GMEM="-" GLIBC HAVE_GPU=0
  GLIBC="$(ldd --version 2>/dev/null | head -1 | grep -o '[0-9]\+\.[0-9]\+$')"
  local HOSTLINE; HOSTLINE="$(uname -srm), glibc ${GLIBC:-?}, $(nproc) CPUs, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo 2>/dev/null)"
  echo "$HOSTLINE"
  if command -v nvidia-smi >/dev/null 2>&1; then
    run smi 20 400 nvidia-smi --query-gpu=index,name,driver_version,compute_cap,memory.total,memory.used,clocks.sm,clocks.max.sm,temperature.gpu,power.draw,utilization.gpu,persistence_mode --format=csv
    if [ "$RC" -eq 0 ]; then
      HAVE_GPU=1
      GPU="$(sed -n 2p "$WORK/smi.out" | cut -d, -f2 | sed 's/^ *//')"
      DRIVER="$(sed -n 2p "$WORK/smi.out" | cut -d, -f3 | sed 's/^ *//')"
      CC="$(sed -n 2p "$WORK/smi.out" | cut -d, -f4 | sed 's/^ *//')"
      GMEM="$(sed -n 2p "$WORK/smi.out" | cut -d, -f5 | sed 's/^ *//')"
    fi
    run smi2 10 400 sh -c 'nvidia-smi | head -12'
    CUDAV="$(grep -o 'CUDA Version: [0-9.]*' "$WORK/smi2.out" | head -1 | sed 's/.*: //')"
  fi
  # cuBLAS / cuDNN by file name: their real file names carry the versions
  local DIRS=() d
  if [ -n "${SEARCH:-}" ]; then read -r -a DIRS <<<"$SEARCH"; else
    for d in /opt/torch/.venv /usr/local/cuda /usr/local/cuda-* /usr/lib/x86_64-linux-gnu /usr/lib64; do [ -d "$d" ] && DIRS+=("$d"); done
  fi
  : > "$WORK/found.txt"
  if [ ${#DIRS[@]} -gt 0 ]; then
    run find 30 400 find -H "${DIRS[@]}" \( -name 'libcublas.so.1[23]' -o -name 'libcublasLt.so.1[23]' -o -name 'libcudnn.so.[89]' \
        -o -name 'libnvrtc.so.1[23]' -o -name compute-sanitizer \) >/dev/null
    grep '^/' "$WORK/find.out" > "$WORK/found.txt"
  fi
  libver() { # soname -> "version (real path)" of the first hit
    local hit; hit="$(grep -m1 "/$1\$" "$WORK/found.txt")"
    [ -n "$hit" ] || return 0
    hit="$(readlink -f "$hit")"
    echo "$(basename "$hit" | sed -E 's/^lib[a-zA-Z]+\.so\.//') ($hit)"
  }
  local CUBLAS CUDNN
  CUBLAS="$(libver libcublas.so.13)"; [ -n "$CUBLAS" ] || CUBLAS="$(libver libcublas.so.12)"
  CUDNN="$(libver libcudnn.so.9)"; [ -n "$CUDNN" ] || CUDNN="$(libver libcudnn.so.8)"
  echo "cuBLAS: ${CUBLAS:-not found}"; echo "cuDNN:  ${CUDNN:-not found}"
  local SANITIZER=""
  SANITIZER="$(command -v compute-sanitizer 2>/dev/null || grep -m1 '/compute-sanitizer$' "$WORK/found.txt")"
  echo "compute-sanitizer: ${SANITIZER:-not found}"
  local PY="" p TORCHV="-"
  if [ -x /opt/torch/.venv/bin/python ]; then PY=/opt/torch/.venv/bin/python; fi
  for p in ${PY:+"$PY"} python3 /usr/bin/python3; do
    command -v "$p" >/dev/null 2>&1 || continue
    TORCHV="$(timeout 90 "$p" -c 'import torch; print("torch %s, CUDA %s, cuDNN %s" % (torch.__version__, torch.version.cuda, torch.backends.cudnn.version()))' 2>/dev/null | tail -1)"
    if [ -n "$TORCHV" ]; then PY="$(command -v "$p")"; break; fi
    TORCHV="-"; PY=""
  done
  echo "PyTorch: ${PY:-not found}${PY:+ ($TORCHV)}"
  local LIBDET="cuDNN ${CUDNN:-not found}; cuBLAS ${CUBLAS:-not found}"
  LIBDET="$LIBDET; $( [ -n "$PY" ] && echo "$TORCHV" || echo "no PyTorch")"
  if [ "$HAVE_GPU" = 1 ]; then note host PASS "$GPU, driver $DRIVER, CUDA $CUDAV, sm ${CC}, $GMEM; $LIBDET"
  elif command -v nvidia-smi >/dev/null 2>&1; then note host FAIL "nvidia-smi exit $RC: $(head -1 "$WORK/smi.out"); $LIBDET"
  else note host ABSENT "no nvidia-smi (no NVIDIA driver); $LIBDET"; fi

  # ================================================================== setup: Java + classpath
  echo; echo "=== setup: Java runtime and classpath"
  local JAVA="" CP="" CONSOLE="" SETUP_ERR=""
  if [ "$DRY" = 1 ]; then
    JAVA="${JAVA_HOME:+$JAVA_HOME/bin/java}"; [ -x "$JAVA" ] || JAVA="$(command -v java)"
    # the modules' classes (src/jnn: dev.jnn:jnn, src/jnn-cuda: dev.jnn:jnn-cuda, src/examples: the
    # main job) and the examples module's test class path (both jars or their classes, the main
    # job's libraries)
    local TCP=src/examples/target/test.classpath
    if [ ! -d src/jnn-cuda/target/test-classes/dev/jnn/backend/cuda ] || [ ! -s "$TCP" ]; then
      SETUP_ERR="src/jnn-cuda/target/test-classes or $TCP missing: run mvn -B test-compile first"
    else
      CP="src/examples/target/classes:src/jnn-cuda/target/test-classes:src/jnn/target/test-classes"
      CP="$CP:src/jnn-cuda/target/classes:src/jnn/target/classes:$(cat "$TCP")"
    fi
    CONSOLE="$BUNDLE/jnn/junit-platform-console-standalone.jar"
    # shellcheck disable=SC2012  # version-sorted enough: the newest release last
    [ -s "$CONSOLE" ] || CONSOLE="$(ls -1 "${M2:-$HOME/.m2/repository}"/org/junit/platform/junit-platform-console-standalone/*/junit-platform-console-standalone-*.jar 2>/dev/null | tail -1)"
    if command -v python3 >/dev/null 2>&1; then   # the torch scripts at least compile
      if ! python3 -c 'import ast, sys
for f in sys.argv[1:]: ast.parse(open(f).read(), f)' scripts/gpu/torch_baseline.py scripts/gpu/torch_mainjob.py scripts/gpu/torch_micro.py > "$WORK/py.out" 2>&1; then
        SETUP_ERR="${SETUP_ERR:+$SETUP_ERR; }python syntax: $(tail -1 "$WORK/py.out")"
      fi
    fi
  elif [ -s "$BUNDLE/jre.tar.xz" ]; then
    mkdir -p "$WORK/jre"
    run jre 60 400 tar xJf "$BUNDLE/jre.tar.xz" -C "$WORK/jre"
    if [ "$RC" -ne 0 ] && [ -n "$PY$(command -v python3)" ]; then   # no xz on the host: Python's tarfile reads it
      rm -rf "$WORK/jre"; mkdir -p "$WORK/jre"
      run jre 60 400 "${PY:-python3}" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$BUNDLE/jre.tar.xz" "$WORK/jre"
    fi
    JAVA="$WORK/jre/bin/java"
    local j
    CP="$BUNDLE/jnn/jnn-test-classes.jar:$BUNDLE/jnn/jnn-classes.jar"
    for j in "$BUNDLE"/lib/jcuda-12.6.0.jar "$BUNDLE"/lib/jcuda-natives-12.6.0-linux-x86_64.jar \
             "$BUNDLE"/lib/jcublas-12.6.0.jar "$BUNDLE"/lib/jcublas-natives-12.6.0-linux-x86_64.jar \
             "$BUNDLE"/lib/jcudnn-11.7.0.jar "$BUNDLE"/jnn/deps/*.jar; do [ -s "$j" ] && CP="$CP:$j"; done
    [ -s "$BUNDLE/jnn/jnn-classes.jar" ] || SETUP_ERR="$BUNDLE/jnn missing: rebuild the bundle (scripts/gpu/prepare-bundle.sh)"
    CONSOLE="$BUNDLE/jnn/junit-platform-console-standalone.jar"
  else
    SETUP_ERR="$BUNDLE/jre.tar.xz missing: build bundle/ with scripts/gpu/prepare-bundle.sh and carry it along (or use --dry-run)"
  fi
  local JV=""
  if [ -n "$JAVA" ] && JV="$("$JAVA" -version 2>&1 | head -1)" && [ -n "$JV" ] && "$JAVA" -version >/dev/null 2>&1; then :; else
    SETUP_ERR="${SETUP_ERR:+$SETUP_ERR; }no working Java runtime (${JAVA:-none}): $JV"; JAVA=""
  fi
  # the JVM options of scripts/train; the Vector API only where the runtime has the module
  local JOPTS=(-XX:+UseParallelGC -Djava.awt.headless=true)
  if [ -n "$JAVA" ] && "$JAVA" --list-modules 2>/dev/null | grep -q '^jdk.incubator.vector'; then JOPTS+=(--add-modules jdk.incubator.vector); fi
  local XOPTS=(); [ -n "${JNN_JAVA_OPTS:-}" ] && read -r -a XOPTS <<<"$JNN_JAVA_OPTS" && JOPTS+=("${XOPTS[@]}")
  if [ -z "$SETUP_ERR" ]; then note setup PASS "$JV; $( [ "$DRY" = 1 ] && echo "target/ + Maven test classpath" || echo "bundle/jnn + bundle/lib")"
  else note setup FAIL "$SETUP_ERR"; fi
  [ -n "$CP" ] && [ -n "$JAVA" ] || JAVA=""
  jvm() { # name cap reserve xmx [java args...]: a JVM step with a fresh tmpdir and a crash file
    local name=$1 cap=$2 reserve=$3 xmx=$4; shift 4
    mkdir -p "$WORK/tmp-$name"
    run "$name" "$cap" "$reserve" "$JAVA" "-Xmx$xmx" "${JOPTS[@]}" -XX:ErrorFile="$WORK/hs_err_$name.log" \
        -Djava.io.tmpdir="$WORK/tmp-$name" -cp "$CP" "$@"
    crash_report "$name"
  }
  local XMX_BIG=12g; [ "$DRY" = 1 ] && XMX_BIG=2g

  # ================================================================== smoke (opt-in)
  if [ -n "${SMOKE:-}" ]; then
    echo; echo "=== smoke: GpuSmoke (JCuda + JCublas2 + JCudnn through the shims, no jnn)"
    smoke_step "$JAVA"
  fi

  # ================================================================== suite
  if ! want suite; then note suite SKIP "not selected (DEVICE_RUN_STEPS=$DEVICE_RUN_STEPS)"; else
  echo; echo "=== suite: jnn's GPU test suite (JUnit, @Tag(\"gpu\"))"
  if [ -z "$JAVA" ]; then note suite SKIP "no Java runtime / classpath (see setup)"
  elif [ ! -s "$CONSOLE" ]; then
    if [ "$DRY" = 1 ]; then note suite ABSENT "no junit-platform-console-standalone jar (bundle/ or ~/.m2)"
    else note suite FAIL "$CONSOLE missing: rebuild the bundle"; fi
  else
    mkdir -p "$WORK/tmp-suite" "$WORK/junit-reports"
    # shellcheck disable=SC2086  # JUNIT_OPTS: extra launcher options, split on purpose
    run suite 170 260 "$JAVA" -Xmx8g -XX:ErrorFile="$WORK/hs_err_suite.log" -Djava.io.tmpdir="$WORK/tmp-suite" \
        -jar "$CONSOLE" execute --disable-banner --disable-ansi-colors \
        --details=tree --class-path "$CP" --select-class dev.jnn.backend.cuda.GpuCudaSuiteTest \
        --include-tag gpu --fail-if-no-tests --reports-dir "$WORK/junit-reports" ${JUNIT_OPTS:-}
    crash_report suite
    local jt jf js
    jt="$(grep -m1 -oE '[0-9]+ tests successful' "$WORK/suite.out" | cut -d' ' -f1)"
    jf="$(grep -m1 -oE '[0-9]+ tests failed' "$WORK/suite.out" | cut -d' ' -f1)"
    js="$(status_of suite "$RC")"
    case "$js" in
      PASS) note suite PASS "${jt:-?} tests successful" ;;
      TIMEOUT) note suite TIMEOUT "after ${T}s (${jt:-?} passed so far)" ;;
      ABSENT) note suite ABSENT "no usable GPU (launcher and classpath fine: the suite's @BeforeAll ran)" ;;
      *) note suite "$js" "exit $RC: ${jt:-0} successful, ${jf:-?} failed: $(grep -E '✘|\[X\]' "$WORK/suite.out" | sed -E 's/^[^A-Za-z]*//' | cut -c1-40 | head -6 | tr '\n' ';')" ;;
    esac
    [ -n "$OUT" ] && cp -r "$WORK/junit-reports" "$OUT/" 2>/dev/null
  fi
  fi

  # ================================================================== probes
  if ! want probes; then note probes SKIP "not selected (DEVICE_RUN_STEPS=$DEVICE_RUN_STEPS)"; else
  probe_rows() { # name prefix: one summary row per probe line of a GpuProbes output
    local line st nm
    while IFS= read -r line; do
      st="${line%% *}"; nm="${line#* }"; nm="${nm%%:*}"
      note "$2$nm" "$st" "$(echo "${line#*: }" | cut -c1-160)" >/dev/null
    done < <(grep -E '^(PASS|FAIL|ABSENT|TIMEOUT) [a-z0-9_.]+: ' "$WORK/$1.out")
  }
  probes_status() { # name -> status of a GpuProbes run
    local r; r="$(grep -m1 '^RESULT ' "$WORK/$1.out")"
    if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then echo TIMEOUT
    elif [ "$RC" -eq 125 ]; then echo SKIP
    elif [ -z "$r" ] || grep -qE '^(FAIL|TIMEOUT) ' "$WORK/$1.out"; then echo FAIL
    elif ! grep -qE '^PASS ' "$WORK/$1.out"; then echo ABSENT
    else echo PASS; fi
  }
  echo; echo "=== probes: GpuProbes"
  if [ -z "$JAVA" ]; then note probes SKIP "no Java runtime / classpath (see setup)"
  else
    local pt; pt=$(budget 120 200)
    jvm probes 120 200 "$XMX_BIG" -Dprobes.deadline=$(( pt > 15 ? pt - 10 : 5 )) dev.jnn.backend.cuda.GpuProbes
    note probes "$(probes_status probes)" "$(grep -m1 '^RESULT ' "$WORK/probes.out" | sed 's/^RESULT //')${RC:+ (exit $RC)}$(grep -q '^RESULT ' "$WORK/probes.out" || echo ": $(why probes)")"
    probe_rows probes "  probe "
    if [ "$DRY" = 1 ]; then
      echo; echo "=== probes-emu: GpuProbes --emulated (CPU emulation of the device)"
      pt=$(budget 60 30)
      jvm probes-emu 60 30 2g -Dprobes.deadline=$(( pt > 15 ? pt - 10 : 5 )) dev.jnn.backend.cuda.GpuProbes --emulated
      note probes-emu "$(probes_status probes-emu)" "$(grep -m1 '^RESULT ' "$WORK/probes-emu.out" | sed 's/^RESULT //') (exit $RC)$(grep -q '^RESULT ' "$WORK/probes-emu.out" || echo ": $(why probes-emu)")"
      probe_rows probes-emu "  emu "
    fi
  fi
  fi

  # ================================================================== main job
  if ! want mainjob; then note mainjob SKIP "not selected (DEVICE_RUN_STEPS=$DEVICE_RUN_STEPS)"; else
  echo; echo "=== mainjob: TrainFashionMnist --device cuda --epochs $EPOCHS"
  if [ -z "$JAVA" ]; then note mainjob SKIP "no Java runtime / classpath (see setup)"
  else
    jvm mainjob 150 170 8g dev.jnn.examples.TrainFashionMnist --device cuda --epochs "$EPOCHS" --plot none --data data
    local ms; ms="$(status_of mainjob "$RC")"
    if [ "$ms" = PASS ]; then note mainjob PASS "$(mainjob_detail "$WORK/mainjob.out")"
    elif [ "$ms" = ABSENT ]; then note mainjob ABSENT "no usable GPU (TrainFashionMnist started, stopped at device selection)"
    else note mainjob "$ms" "exit $RC: $(why mainjob)"; fi
  fi
  fi

  # ================================================================== bench: jnn vs PyTorch
  if ! want bench; then note bench SKIP "not selected (DEVICE_RUN_STEPS=$DEVICE_RUN_STEPS)"; else
  echo; echo "=== bench: jnn (GpuBench) vs PyTorch (torch_baseline.py), workloads a-d, $ITERS runs each"
  local BJ=SKIP BT=ABSENT
  if [ -n "$JAVA" ]; then
    jvm jbench 100 110 8g dev.jnn.backend.cuda.GpuBench --iters "$ITERS"
    BJ="$(status_of jbench "$RC")"
  fi
  if [ -n "$PY" ] && [ "$HAVE_GPU" = 1 ]; then
    run tbench 100 90 env PYTHONUNBUFFERED=1 "$PY" scripts/gpu/torch_baseline.py --iters "$ITERS"
    BT="$(status_of tbench "$RC")"
  fi
  local BD; BD="$(bench_ratios "$WORK/jbench.out" "$WORK/tbench.out")"
  if [ -z "$JAVA" ]; then note bench SKIP "no Java runtime / classpath (see setup); torch $BT"
  elif [ "$BJ" = PASS ]; then note bench PASS "${BD:-jnn only}$( [ "$BT" = PASS ] || echo "; torch $BT")"
  elif [ "$BJ" = ABSENT ]; then note bench ABSENT "no usable GPU; torch $BT"
  else note bench "$BJ" "jnn exit $RC: $(why jbench); torch $BT"; fi
  fi

  # ================================================================== torch main job
  if ! want torch-mainjob; then note torch-mainjob SKIP "not selected (DEVICE_RUN_STEPS=$DEVICE_RUN_STEPS)"; else
  echo; echo "=== torch-mainjob: scripts/gpu/torch_mainjob.py --epochs $EPOCHS"
  if [ -z "$PY" ]; then note torch-mainjob ABSENT "no PyTorch (/opt/torch/.venv/bin/python or python3 with torch)"
  elif [ "$HAVE_GPU" = 0 ] && [ "$DRY" = 1 ]; then   # the script at least runs: 256 images on the CPU
    run tmainjob 30 10 env PYTHONUNBUFFERED=1 "$PY" scripts/gpu/torch_mainjob.py --device cpu --epochs 1 --limit 256 --data data
    if [ "$RC" -eq 0 ] && grep -q '^summary: ' "$WORK/tmainjob.out"; then note torch-mainjob ABSENT "no GPU (the script ran on the CPU: fine)"
    elif [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ] || [ "$RC" -eq 125 ]; then note torch-mainjob ABSENT "no GPU (the script's CPU check ran out of time)"
    else note torch-mainjob FAIL "the script fails on the CPU: exit $RC: $(why tmainjob)"; fi
  elif [ "$HAVE_GPU" = 0 ]; then note torch-mainjob ABSENT "no GPU"
  else
    run tmainjob 90 80 env PYTHONUNBUFFERED=1 "$PY" scripts/gpu/torch_mainjob.py --epochs "$EPOCHS" --data data
    local ts; ts="$(status_of tmainjob "$RC")"
    if [ "$ts" = PASS ]; then note torch-mainjob PASS "$(grep -m1 '^summary: ' "$WORK/tmainjob.out" | sed 's/^summary: //' | cut -c1-150)"
    else note torch-mainjob "$ts" "exit $RC: $(why tmainjob)"; fi
  fi
  fi

  # ================================================================== transfer + launch
  if ! want transfer; then note transfer SKIP "not selected (DEVICE_RUN_STEPS=$DEVICE_RUN_STEPS)"; note launch SKIP "not selected (DEVICE_RUN_STEPS=$DEVICE_RUN_STEPS)"; else
  echo; echo "=== transfer, launch: jnn (GpuBench --micro) vs PyTorch (torch_micro.py)"
  local MJ=SKIP MT=ABSENT
  if [ -n "$JAVA" ]; then
    jvm jmicro 60 50 4g dev.jnn.backend.cuda.GpuBench --micro
    MJ="$(status_of jmicro "$RC")"
  fi
  if [ -n "$PY" ] && [ "$HAVE_GPU" = 1 ]; then
    run tmicro 60 40 env PYTHONUNBUFFERED=1 "$PY" scripts/gpu/torch_micro.py
    MT="$(status_of tmicro "$RC")"
  fi
  if [ -z "$JAVA" ]; then note transfer SKIP "no Java runtime / classpath (see setup)"; note launch SKIP "no Java runtime / classpath (see setup)"
  elif [ "$MJ" = PASS ]; then
    note transfer PASS "$(micro_transfer "$WORK/jmicro.out" "$WORK/tmicro.out")$( [ "$MT" = PASS ] || echo "; torch $MT")"
    note launch PASS "$(micro_launch "$WORK/jmicro.out" "$WORK/tmicro.out")$( [ "$MT" = PASS ] || echo "; torch $MT")"
  elif [ "$MJ" = ABSENT ]; then note transfer ABSENT "no usable GPU; torch $MT"; note launch ABSENT "no usable GPU; torch $MT"
  else note transfer "$MJ" "jnn exit $RC: $(why jmicro)"; note launch "$MJ" "see transfer"; fi
  fi

  # ================================================================== compute-sanitizer
  if ! want sanitizer; then note sanitizer SKIP "not selected (DEVICE_RUN_STEPS=$DEVICE_RUN_STEPS)"; else
  echo; echo "=== sanitizer: compute-sanitizer --tool memcheck, GpuProbes --quick"
  if [ -z "$SANITIZER" ]; then note sanitizer ABSENT "compute-sanitizer not found"
  elif [ "$HAVE_GPU" = 0 ]; then note sanitizer ABSENT "no GPU"
  elif [ -z "$JAVA" ]; then note sanitizer SKIP "no Java runtime / classpath"
  elif [ "$(budget 240 0)" -lt 60 ]; then note sanitizer SKIP "less than 60 s left"
  else
    mkdir -p "$WORK/tmp-sanitizer"
    run sanitizer 240 0 "$SANITIZER" --tool memcheck --target-processes all --error-exitcode 99 \
        "$JAVA" -Xmx4g "${JOPTS[@]}" -Djava.io.tmpdir="$WORK/tmp-sanitizer" -cp "$CP" \
        dev.jnn.backend.cuda.GpuProbes --quick --only staging.roundtrip,cudnn,threads.compute,kernels
    local se; se="$(grep -m1 -oE 'ERROR SUMMARY: [0-9]+ errors?' "$WORK/sanitizer.out")"
    if [ "$RC" -eq 0 ]; then note sanitizer PASS "${se:-no error summary}; $(grep -m1 '^RESULT ' "$WORK/sanitizer.out")"
    else note sanitizer "$(status_of sanitizer "$RC")" "exit $RC: ${se:-$(why sanitizer)}"; fi
  fi
  fi

  # ================================================================== summary
  echo
  echo "=============================================== DEVICE RUN SUMMARY ==============================================="
  printf '%-9s %s\n' "date" "$(date -u +%Y-%m-%dT%H:%M:%SZ), $( [ "$DRY" = 1 ] && echo "DRY RUN on a CPU machine" || echo "bundle $(head -1 "$BUNDLE/MANIFEST.txt" 2>/dev/null | sed 's/^bundle for [^,]*, //')")"
  printf '%-9s %s\n' "host" "$HOSTLINE"
  printf '%-9s %s\n' "gpu" "$GPU | driver $DRIVER | CUDA $CUDAV | sm $CC | $GMEM"
  printf '%-9s %s\n' "libraries" "cuDNN ${CUDNN:-not found} | cuBLAS ${CUBLAS:-not found}"
  printf '%-9s %s\n' "jnn sees" "$(grep -hE '^INFO (cuBLAS|cuDNN|cuda:0|CUDA driver)' "$WORK/probes.out" 2>/dev/null | sed 's/^INFO //' | cut -c1-70 | tr '\n' '|' | sed 's/|$//')"
  printf '%-9s %s\n' "torch" "$( [ -n "$PY" ] && echo "$TORCHV ($PY)" || echo "not found")"
  bench_table "$WORK/jbench.out" "$WORK/tbench.out"
  echo "------------------------------------------------------------------------------------------------------------------"
  print_steps
  # the exit status: FAIL or TIMEOUT rows; in a dry run FAIL rows only (a CPU machine may be slow,
  # but a step that fails there means the script or what it runs has rotted)
  local n_fail=0 s bad='FAIL|TIMEOUT'
  [ "$DRY" = 1 ] && bad='FAIL'
  for s in "${STEPS[@]}"; do [[ "${RES[$s]}" =~ ^($bad)$ ]] && n_fail=$((n_fail + 1)); done
  local overall=PASS; [ "$n_fail" -gt 0 ] && overall="FAIL ($n_fail row(s) ${bad/|/ or })"
  echo "OVERALL: $overall   ($SECONDS s$( [ "$DRY" = 1 ] && echo ", dry run: ABSENT is expected for every GPU step"))"
  write_summary_md && [ -n "$OUT" ] && echo "summary for docs/gpu-runs/: $OUT/summary.md"
  rm -rf "$WORK"
  [ "$n_fail" -eq 0 ]
}

print_steps() {
  local s
  printf '%-30s %-7s %s\n' "STEP" "STATUS" "detail"
  for s in "${STEPS[@]}"; do printf '%-30s %-7s %s\n' "$s" "${RES[$s]}" "${DETAIL[$s]}"; done
}

# summary.md, ready to commit as docs/gpu-runs/<date>-<gpu>.md (rewritten after every step)
write_summary_md() {
  [ -n "$OUT" ] || return 1
  {
    echo "# jnn device run $(date -u +%Y-%m-%d): ${GPU:--}"
    echo
    echo "* date: $(date -u +%Y-%m-%dT%H:%M:%SZ)$( [ "$DRY" = 1 ] && echo " (DRY RUN on a CPU machine: not a GPU result)")"
    echo "* GPU: ${GPU:--}, compute capability ${CC:--}, ${GMEM:--}; driver ${DRIVER:--}, CUDA ${CUDAV:--}"
    echo "* cuDNN: ${CUDNN:-not found}; cuBLAS: ${CUBLAS:-not found}"
    echo "* host: ${HOSTLINE:-?}"
    echo "* PyTorch: ${TORCHV:--}"
    echo "* jnn: commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); bundle: $(head -1 "$BUNDLE/MANIFEST.txt" 2>/dev/null || echo none)"
    echo "* command: scripts/gpu/device-run.sh$( [ "$DRY" = 1 ] && echo " --dry-run"), deadline ${DEADLINE} s, ${SECONDS} s so far"
    echo
    echo "## Results"
    echo
    echo '```text'
    print_steps
    echo '```'
    if [ -s "${WORK:-/nonexistent}/jbench.out" ] && grep -q '^=== jnn (GPU)' "$WORK/jbench.out"; then
      echo
      echo "## jnn vs PyTorch, workloads a-d (median ms)"
      echo
      echo '```text'
      bench_table "$WORK/jbench.out" "$WORK/tbench.out"
      echo '```'
    fi
  } > "$OUT/summary.md.tmp" && mv "$OUT/summary.md.tmp" "$OUT/summary.md"
}

# "epoch times, img/s, held-out accuracy, peak device memory" from a TrainFashionMnist output
mainjob_detail() {
  local f=$1 ntrain
  ntrain="$(grep -m1 -oE '\(([0-9]+) train' "$f" | grep -oE '[0-9]+')"
  awk -v ntrain="${ntrain:-0}" '
    /^epoch [0-9]+\/[0-9]+ .* img\/s/ { for (i = 1; i <= NF; i++) if ($i == "img/s,") rate = $(i - 1) }
    /^epoch [0-9]+: / { e++; for (i = 1; i <= NF; i++) if ($i == "s") t = t sprintf("%s%s s", (t == "" ? "" : ", "), $(i - 1));
                        rates = rates sprintf("%s%s", (rates == "" ? "" : ", "), rate) }
    /^epoch [0-9]+ device memory/ { for (i = 1; i <= NF; i++) if ($i == "peak") peak = $(i + 1) " " $(i + 2) }
    /^summary: / { acc = $4 }
    END { sub(/;$/, "", peak)
          printf "%d epochs of %s images: %s (incl. held-out eval), train img/s %s, held-out acc %s, peak %s", e, ntrain, t, rates, acc, peak }' "$f"
}

# "name jnn/torch" ratios of the fp32 column (sync + wall clock on both sides)
bench_ratios() {
  local j=$1 t=$2 w jl tl out=""
  grep -q '^=== jnn (GPU)' "$j" 2>/dev/null || return 0
  for w in "a fwd" "a fwd+bwd" "b fwd" "b train step" "c fwd" "c fwd+bwd" "d fwd" "d fwd+bwd"; do
    jl="$(sed -n '/^=== jnn (GPU)/,$p' "$j" | grep -m1 "^$w  *|")"
    tl="$(sed -n '/^=== torch baseline/,$p' "$t" 2>/dev/null | grep -m1 "^$w  *|")"
    out="$out$(awk -v w="$w" -v j="$jl" -v t="$tl" 'BEGIN { split(j, a, "|"); split(t, b, "|"); x = a[2] + 0; y = b[2] + 0
      if (x > 0 && y > 0) printf "%s %.2fx, ", w, x / y; else if (x > 0) printf "%s %.3f ms, ", w, x }')"
  done
  echo "${out%, }$(grep -q '^=== torch baseline' "$t" 2>/dev/null && echo ' (jnn/torch, fp32 median, sync+clock)')"
}

bench_table() {
  local j=$1 t=$2 w
  grep -q '^=== jnn (GPU)' "$j" 2>/dev/null || return 0
  echo "jnn vs torch, same GPU, median ms, both timed sync + wall clock (ratio = jnn / torch):"
  printf '  %-14s | %9s %9s %6s | %9s %9s %6s | %9s %9s %6s\n' workload "jnn fp32" "torch" ratio "jnn bench" "torch" ratio "jnn tf32" "torch" ratio
  for w in "a fwd" "a fwd+bwd" "b fwd" "b train step" "c fwd" "c fwd+bwd" "d fwd" "d fwd+bwd"; do
    local jl tl
    jl="$(sed -n '/^=== jnn (GPU)/,$p' "$j" | grep -m1 "^$w  *|")"
    tl="$(sed -n '/^=== torch baseline/,$p' "$t" 2>/dev/null | grep -m1 "^$w  *|")"
    awk -v w="$w" -v j="$jl" -v t="$tl" 'BEGIN {
      split(j, a, "|"); split(t, b, "|"); line = sprintf("  %-14s", w)
      for (k = 2; k <= 4; k++) {
        x = a[k] + 0; y = b[k] + 0
        r = (x > 0 && y > 0) ? sprintf("%6.2f", x / y) : "     -"
        line = line sprintf(" | %9.4f %9.4f %s", x, y, r)
      }
      print line }'
  done
  if grep -q '^=== torch baseline, CUDA events' "$t" 2>/dev/null; then
    echo "torch, CUDA events of the same runs (fp32 | fp32+bench | tf32+bench):"
    sed -n '/^=== torch baseline, CUDA events/,$p' "$t" | grep -E '^[a-d] ' | sed 's/^/  /'
  fi
}

micro_val() { grep -m1 "^MICRO $2 " "$1" 2>/dev/null | awk '{print $3}'; }

micro_transfer() {
  local j=$1 t=$2 m out=""
  for m in 16 256; do
    out="$out${out:+; }${m} MiB h2d jnn $(micro_val "$j" "h2d_${m}MiB") GB/s"
    [ -s "$t" ] && out="$out vs torch pageable $(micro_val "$t" "h2d_${m}MiB_pageable") / pinned $(micro_val "$t" "h2d_${m}MiB_pinned")"
    out="$out, d2h jnn $(micro_val "$j" "d2h_${m}MiB")"
    [ -s "$t" ] && out="$out vs $(micro_val "$t" "d2h_${m}MiB_pageable") / $(micro_val "$t" "d2h_${m}MiB_pinned")"
  done
  echo "$out"
}

micro_launch() {
  local j=$1 t=$2 o out=""
  for o in add_new add_inplace relu sum; do
    out="$out${out:+, }$o $(micro_val "$j" "launch_$o")"
    [ -s "$t" ] && out="$out/$(micro_val "$t" "launch_$o")"
  done
  echo "us/op jnn$( [ -s "$t" ] && echo /torch): $out"
}

# GpuSmoke (scripts/gpu/GpuSmoke.java, classes in bundle/classes): the JCuda + shims stack without
# jnn, run A preloading the libraries by absolute path without LD_LIBRARY_PATH (SMOKE=1 only)
smoke_step() {
  local java=$1
  if [ -z "$java" ] || [ ! -s "$BUNDLE/classes/GpuSmoke.class" ]; then note smoke SKIP "no Java runtime or no bundle/classes/GpuSmoke.class"; return; fi
  local p PRE="" CUDNN_MISSING=3000 CPS="$BUNDLE/classes" j
  # shellcheck source=/dev/null
  [ -s "$BUNDLE/shims/settings.sh" ] && . "$BUNDLE/shims/settings.sh"
  for p in "$(grep -m1 '/libcublasLt.so.13$' "$WORK/found.txt")" "$(grep -m1 '/libcublas.so.13$' "$WORK/found.txt")" \
           "$(grep -m1 '/libcudnn.so.9$' "$WORK/found.txt")" "$BUNDLE/shims/libcudnn.so.8" "$BUNDLE/shims/libcublas.so.12"; do
    [ -n "$p" ] && PRE="${PRE:+$PRE:}$(readlink -f "$p")"
  done
  for j in "$BUNDLE"/lib/*.jar; do CPS="$CPS:$j"; done
  local t; t=$(budget 100 300)
  mkdir -p "$WORK/tmp-smoke"
  run smoke 100 300 env -u LD_LIBRARY_PATH "$java" -Xmx2g -XX:ErrorFile="$WORK/hs_err_smoke.log" \
      -Djava.io.tmpdir="$WORK/tmp-smoke" -cp "$CPS" -Dpreload="$PRE" -Dkernels="$BUNDLE/kernels" \
      -Dcudnn.missing="$CUDNN_MISSING" -Dbench.iters="${SMOKE_ITERS:-200}" -Dwatchdog=$(( t > 8 ? t - 3 : 5 )) GpuSmoke
  crash_report smoke
  local r; r="$(grep -m1 '^RESULT ' "$WORK/smoke.out" | sed 's/^RESULT //')"
  if [ "$RC" -eq 0 ] && [ -n "$r" ]; then note smoke PASS "$r"
  elif [ "$HAVE_GPU" = 0 ] && [ -n "$r" ]; then note smoke ABSENT "no GPU (the JNI libraries loaded: $r)"
  else note smoke "$(status_of smoke "$RC")" "exit $RC: ${r:-no RESULT line}; failed: $(grep -oE '^FAIL [a-z0-9_.]+' "$WORK/smoke.out" | cut -d' ' -f2 | tr '\n' ' ')"; fi
}

if [ -n "$LOG" ]; then
  main 2>&1 | tee "$LOG"
  exit "${PIPESTATUS[0]}"
else
  main 2>&1
fi
