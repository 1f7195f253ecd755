#!/bin/bash
# Builds bundle/ on a CPU machine (Java 17 JDK with jlink, Maven, gcc, nvcc 13, binutils) for
# scripts/gpu/device-run.sh on a GPU host that has no Java, no Maven and no network:
#   jre.tar.xz   jlink'd Java 17 runtime (java.base, java.logging, java.xml, jdk.unsupported,
#                java.management, jdk.zipfs for JUnit's scanning of jars, jdk.incubator.vector for
#                the CPU fast path scripts/train uses; stripped, compressed)
#   lib/         jcuda 12.6.0, jcublas 12.6.0, jcudnn 11.7.0 jars + the linux-x86_64 natives jars of
#                jcuda/jcublas, and jcudnn-natives-renamed.jar holding the libJCudnn 11.7.0 binary as
#                /lib/libJCudnn-12.6.0-linux-x86_64.so (the name jcudnn asks for next to jcuda 12.6.0;
#                for GpuSmoke only: jnn-classes.jar carries its own copy under a jnn-owned path)
#   natives/     the same renamed libJCudnn, as a plain file (for ldd diagnostics on the host)
#   shims/       libcudnn.so.8 (-> libcudnn.so.9) and libcublas.so.12 (-> libcublas.so.13), generated
#                by ShimGen from the real JNI libraries' imports and built with gcc
#   kernels/     smoke_kernels.fatbin + smoke_kernels.compute_75.ptx (nvcc 13)
#   classes/     GpuSmoke, compiled for Java 17
#   jnn/         jnn-classes.jar (src/jnn/target/classes + src/jnn-cuda/target/classes: the library
#                with its kernels, shims and the renamed JCudnn under its jnn-owned path),
#                jnn-test-classes.jar (the test classes of src/jnn and src/jnn-cuda: the @Tag("gpu")
#                suite, GpuProbes, GpuBench; and src/examples/target/classes: the main job's
#                classes), junit-platform-console-standalone (Maven Central), deps/ (the main job's
#                command-line, progress-bar and chart jars)
#   torch_*.py, MANIFEST.txt
# The bundle must stay under 45 MB (the device run's transfer limit is 64 MiB with the work tree);
# the script fails when it does not.
# usage: scripts/gpu/prepare-bundle.sh [OUTDIR]     (default: <repo>/bundle)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${1:-$ROOT/bundle}"
M2="${M2:-$HOME/.m2/repository}"
CUDNN_MISSING=3000   # CUDNN_STATUS_NOT_SUPPORTED in cuDNN 9 numbering (the shim's target is cuDNN 9)
CUBLAS_MISSING=15    # CUBLAS_STATUS_NOT_SUPPORTED (same value in cuBLAS 12 and 13)
export PATH="$PATH:/usr/local/cuda/bin"
for t in java javac jlink mvn gcc nm readelf objdump nvcc xz unzip jar; do
  command -v "$t" >/dev/null || { echo "prepare-bundle: '$t' not found" >&2; exit 2; }
done
echo "== prepare-bundle: $(java -version 2>&1 | head -1), $(mvn -v 2>/dev/null | head -1), $(gcc --version | head -1), $(nvcc --version | tail -1)"

# ---------------------------------------------------------------- JCuda artifacts (Maven Central)
ARTS="org.jcuda:jcuda:12.6.0 org.jcuda:jcuda-natives:12.6.0:jar:linux-x86_64
      org.jcuda:jcublas:12.6.0 org.jcuda:jcublas-natives:12.6.0:jar:linux-x86_64
      org.jcuda:jcudnn:11.7.0 org.jcuda:jcudnn-natives:11.7.0:jar:linux-x86_64"
jarpath() {  # g:a:v[:jar:classifier] -> path in the local repository
  IFS=: read -r g a v _ c <<<"$1"
  echo "$M2/${g//.//}/$a/$v/$a-$v${c:+-$c}.jar"
}
MVNDIR="$(mktemp -d)"   # run Maven outside the project so its pom.xml plays no part
trap 'rm -rf "$MVNDIR"' EXIT
for art in $ARTS; do
  if [ ! -s "$(jarpath "$art")" ]; then
    echo "   mvn dependency:get $art"
    (cd "$MVNDIR" && mvn -B -q dependency:get -Dartifact="$art" -Dtransitive=false) \
      || { echo "prepare-bundle: could not fetch $art" >&2; exit 1; }
  fi
  [ -s "$(jarpath "$art")" ] || { echo "prepare-bundle: $(jarpath "$art") missing" >&2; exit 1; }
done
JN="$MVNDIR/natives"
for art in $ARTS; do
  case "$art" in *natives*) mkdir -p "$JN" && unzip -qo "$(jarpath "$art")" 'lib/*' -d "$JN";; esac
done
LIBJCUDNN="$JN/lib/libJCudnn-11.7.0-linux-x86_64.so"
LIBJCUBLAS2="$JN/lib/libJCublas2-12.6.0-linux-x86_64.so"
LIBJCUBLAS="$JN/lib/libJCublas-12.6.0-linux-x86_64.so"
for f in "$LIBJCUDNN" "$LIBJCUBLAS2" "$LIBJCUBLAS"; do [ -s "$f" ] || { echo "missing $f" >&2; exit 1; }; done

rm -rf "$OUT"
mkdir -p "$OUT"/{lib,natives,shims,kernels,classes}
OUT="$(cd "$OUT" && pwd)"

cp "$(jarpath org.jcuda:jcuda:12.6.0)" "$(jarpath org.jcuda:jcuda-natives:12.6.0:jar:linux-x86_64)" \
   "$(jarpath org.jcuda:jcublas:12.6.0)" "$(jarpath org.jcuda:jcublas-natives:12.6.0:jar:linux-x86_64)" \
   "$(jarpath org.jcuda:jcudnn:11.7.0)" "$OUT/lib/"
# the 11.7.0 JNI binary under the name jcudnn-11.7.0.jar asks for when jcuda-12.6.0.jar is present
mkdir -p "$MVNDIR/renamed/lib"
cp "$LIBJCUDNN" "$MVNDIR/renamed/lib/libJCudnn-12.6.0-linux-x86_64.so"
cp "$LIBJCUDNN" "$OUT/natives/libJCudnn-12.6.0-linux-x86_64.so"
jar --create --file "$OUT/lib/jcudnn-natives-renamed-12.6.0-linux-x86_64.jar" -C "$MVNDIR/renamed" lib
echo "== jars:"; ls -l "$OUT/lib" | tail -n +2

# ---------------------------------------------------------------- shims from the real JNI imports
echo "== shims (ShimGen, from nm -D --undefined-only of the real JNI libraries)"
SG="$MVNDIR/shimgen"
java "$HERE/ShimGen.java" --jni "$LIBJCUDNN" --soname libcudnn.so.8 --target libcudnn.so.9 \
     --missing-status $CUDNN_MISSING --env JCUDA_CUDNN8_SHIM_TARGET --out "$SG/cudnn8"
java "$HERE/ShimGen.java" --jni "$LIBJCUBLAS2" --jni "$LIBJCUBLAS" --soname libcublas.so.12 --target libcublas.so.13 \
     --missing-status $CUBLAS_MISSING --env JCUDA_CUBLAS12_SHIM_TARGET --out "$SG/cublas12"
"$SG/cudnn8/build.sh" && "$SG/cublas12/build.sh"
cp "$SG/cudnn8/libcudnn.so.8" "$SG/cublas12/libcublas.so.12" "$OUT/shims/"
cp "$SG/cudnn8/symbols.txt" "$OUT/shims/libcudnn.so.8.symbols.txt"
cp "$SG/cublas12/symbols.txt" "$OUT/shims/libcublas.so.12.symbols.txt"
printf 'CUDNN_MISSING=%s\nCUBLAS_MISSING=%s\n' $CUDNN_MISSING $CUBLAS_MISSING > "$OUT/shims/settings.sh"
for s in libcudnn.so.8 libcublas.so.12; do
  f="$OUT/shims/$s"
  echo "   $s: $(stat -c %s "$f") bytes, SONAME $(readelf -d "$f" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p'), node $(readelf -V "$f" | grep -m1 -o "Name: $s" | cut -d' ' -f2), exports $(nm -D --defined-only "$f" | grep -c ' T '), needs $(objdump -T "$f" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)"
done
# self-check: the JNI libraries resolve their cuDNN 8 / cuBLAS 12 imports against the shims
for lib in "$OUT/natives/libJCudnn-12.6.0-linux-x86_64.so" "$LIBJCUBLAS2"; do
  l="$(LD_LIBRARY_PATH="$OUT/shims" ldd "$lib" 2>&1 | grep -E 'libcudnn|libcublas|not found|version' || true)"
  echo "   ldd $(basename "$lib"): $(echo "$l" | tr -s ' \t\n' ' ')"
  if echo "$l" | grep -qE 'not found|version `'; then echo "prepare-bundle: shim self-check failed" >&2; exit 1; fi
done

# ---------------------------------------------------------------- kernels (nvcc 13) + PTX 8.0 check
echo "== kernels"
CP="$OUT/lib/jcuda-12.6.0.jar:$OUT/lib/jcuda-natives-12.6.0-linux-x86_64.jar" "$HERE/build-kernels.sh" "$OUT/kernels"

# ---------------------------------------------------------------- GpuSmoke classes
echo "== GpuSmoke"
javac --release 17 -nowarn -cp "$OUT/lib/jcuda-12.6.0.jar:$OUT/lib/jcublas-12.6.0.jar:$OUT/lib/jcudnn-11.7.0.jar" \
      -d "$OUT/classes" "$HERE/GpuSmoke.java" 2>&1 | grep -v '^Note:' || true
ls "$OUT/classes"/GpuSmoke.class >/dev/null
cp "$HERE"/torch_*.py "$OUT/"

# ---------------------------------------------------------------- jnn + the GPU test suite
echo "== jnn classes, test classes, JUnit console launcher"
(cd "$ROOT" && mvn -B -q ${MVN_OPTS:-} -DskipTests test-compile) || { echo "prepare-bundle: mvn test-compile failed" >&2; exit 1; }
CUDA_CLASSES="$ROOT/src/jnn-cuda/target/classes"
for r in dev/jnn/backend/cuda/kernels/jnn.fatbin dev/jnn/backend/cuda/shims/libcudnn.so.8 \
         dev/jnn/backend/cuda/shims/libcublas.so.12 \
         dev/jnn/backend/cuda/native/linux-x86_64/libJCudnn-12.6.0-linux-x86_64.so \
         META-INF/services/dev.jnn.backend.BackendProvider; do
  [ -s "$CUDA_CLASSES/$r" ] || { echo "prepare-bundle: src/jnn-cuda/target/classes/$r missing" >&2; exit 1; }
done
mkdir -p "$OUT/jnn" "$MVNDIR/jnn-classes" "$MVNDIR/jnn-test-classes"
# dev.jnn:jnn and dev.jnn:jnn-cuda (different packages and resources)
cp -r "$ROOT/src/jnn/target/classes/." "$MVNDIR/jnn-classes/"
cp -r "$CUDA_CLASSES/." "$MVNDIR/jnn-classes/"
# both artifacts register a back end in the same ServiceLoader file: one jar needs both lines
# (a plain copy kept only jnn-cuda's, and the first GPU run found no CPU back end)
SVC=META-INF/services/dev.jnn.backend.BackendProvider
cat "$ROOT/src/jnn/target/classes/$SVC" "$CUDA_CLASSES/$SVC" > "$MVNDIR/jnn-classes/$SVC"
for p in dev.jnn.backend.cpu.CpuProvider dev.jnn.backend.cuda.CudaProvider; do
  grep -qx "$p" "$MVNDIR/jnn-classes/$SVC" || { echo "prepare-bundle: $p missing from the merged $SVC" >&2; exit 1; }
done
# whole test-class folders: the suite reads test resources too (golden/, ops/); the first GPU run's
# bundle had only dev/ and one parity test failed for want of golden/api_parity.txt
cp -r "$ROOT/src/jnn/target/test-classes/." "$MVNDIR/jnn-test-classes/"
cp -r "$ROOT/src/jnn-cuda/target/test-classes/." "$MVNDIR/jnn-test-classes/"
rm -rf "$MVNDIR/jnn-test-classes/META-INF"
cp -r "$ROOT/src/examples/target/classes/dev" "$MVNDIR/jnn-test-classes/"   # the main job
jar --create --file "$OUT/jnn/jnn-classes.jar" -C "$MVNDIR/jnn-classes" .
jar --create --file "$OUT/jnn/jnn-test-classes.jar" -C "$MVNDIR/jnn-test-classes" .
CONSOLE="org.junit.platform:junit-platform-console-standalone:${JUNIT_CONSOLE_VERSION:-1.14.1}"
if [ ! -s "$(jarpath "$CONSOLE")" ]; then
  (cd "$MVNDIR" && mvn -B -q dependency:get -Dartifact="$CONSOLE" -Dtransitive=false) \
    || { echo "prepare-bundle: could not fetch $CONSOLE" >&2; exit 1; }
fi
cp "$(jarpath "$CONSOLE")" "$OUT/jnn/junit-platform-console-standalone.jar"
# the main job (dev.jnn.examples.TrainFashionMnist) links its command-line, progress bar and chart classes
mkdir -p "$OUT/jnn/deps"
for art in info.picocli:picocli:4.7.7 me.tongfei:progressbar:0.10.1 org.jline:jline-terminal:3.24.1 org.knowm.xchart:xchart:3.8.8; do
  if [ ! -s "$(jarpath "$art")" ]; then
    (cd "$MVNDIR" && mvn -B -q dependency:get -Dartifact="$art" -Dtransitive=false) \
      || { echo "prepare-bundle: could not fetch $art" >&2; exit 1; }
  fi
  cp "$(jarpath "$art")" "$OUT/jnn/deps/"
done
find "$OUT/jnn" -type f -printf '   %10s  %P\n' | sort -k2

# ---------------------------------------------------------------- JRE
echo "== jlink"
jlink --add-modules java.base,java.logging,java.xml,jdk.unsupported,java.management,jdk.zipfs,jdk.incubator.vector \
      --strip-debug --no-man-pages --no-header-files --compress=2 --output "$MVNDIR/jre"
"$MVNDIR/jre/bin/java" -version 2>&1 | head -1
XZ_OPT="-9 -T0" tar cJf "$OUT/jre.tar.xz" -C "$MVNDIR/jre" .
echo "   JRE $(du -sb "$MVNDIR/jre" | cut -f1) bytes -> jre.tar.xz $(stat -c %s "$OUT/jre.tar.xz") bytes"

# ---------------------------------------------------------------- manifest + size
{
  echo "bundle for scripts/gpu/device-run.sh, built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n) from jnn $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "java: $(java -version 2>&1 | head -1); gcc: $(gcc --version | head -1); nvcc: $(nvcc --version | tail -1)"
  echo "cudnn shim missing-status: $CUDNN_MISSING; cublas shim missing-status: $CUBLAS_MISSING"
  (cd "$OUT" && find . -type f ! -name MANIFEST.txt | sort | xargs sha256sum)
} > "$OUT/MANIFEST.txt"
echo "== bundle contents"
(cd "$OUT" && find . -type f -printf '%10s  %p\n' | sort -k2)
TOTAL=$(du -sb "$OUT" | cut -f1)
LIMIT=45000000
echo "BUNDLE SIZE: $TOTAL bytes ($(awk "BEGIN{printf \"%.1f\", $TOTAL/1000000}") MB; must stay < 45 MB, transfer limit 64 MiB with the work tree)"
if [ "$TOTAL" -ge "$LIMIT" ]; then echo "prepare-bundle: bundle too large ($TOTAL >= $LIMIT bytes)" >&2; exit 1; fi
