import static jcuda.driver.JCudaDriver.*;
import static jcuda.jcudnn.JCudnn.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUjit_option;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import jcuda.driver.JITOptions;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnActivationDescriptor;
import jcuda.jcudnn.cudnnActivationMode;
import jcuda.jcudnn.cudnnBatchNormMode;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnMathType;
import jcuda.jcudnn.cudnnNanPropagation;
import jcuda.jcudnn.cudnnPoolingDescriptor;
import jcuda.jcudnn.cudnnPoolingMode;
import jcuda.jcudnn.cudnnRNNDescriptor;
import jcuda.jcudnn.cudnnSoftmaxAlgorithm;
import jcuda.jcudnn.cudnnSoftmaxMode;
import jcuda.jcudnn.cudnnStatus;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompileResult;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;

/**
 * GPU smoke test of the planned jnn CUDA stack: the real JCuda 12.6 (driver API), JCublas2 12.6 and
 * JCudnn 11.7 JNI libraries talking to cuBLAS 13 and cuDNN 9 through ShimGen forwarding shims, plus
 * custom kernels loaded four ways (fatbin, PTX 9.0, PTX rewritten to 8.0, cubin from JCuda's
 * nvPTXCompiler). Every section is checked against a CPU reference in double precision and prints
 * one line, "PASS|FAIL|SKIP key: detail"; the run always continues. "INFO key: value" lines carry
 * versions and timings for the summary. Last line: "RESULT pass=.. fail=.. skip=..".
 *
 * System properties:
 *   preload          colon list of .so paths, System.load()ed in this order before anything else
 *   kernels          directory with smoke_kernels.fatbin and smoke_kernels.compute_75.ptx
 *   cudnn.missing    status the cuDNN shim returns for functions cuDNN 9 lacks (default 3000)
 *   bench.iters      timed iterations of the seed workload per configuration (default 200)
 *   watchdog         seconds after which the JVM prints which section hangs and halts (0 = off)
 * Exit status: 0 if nothing failed, 1 otherwise.
 */
public class GpuSmoke {
    static int pass, fail, skip;
    static volatile String current = "startup";
    static boolean driverOk, cublasOk, cudnnOk;
    static int smMajor, smMinor;
    static long cudnnVersion;
    static final List<CUdeviceptr> allocs = new ArrayList<>();
    static cudnnHandle dnnH;

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        startWatchdog(Long.getLong("watchdog", 0L));
        info("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));

        // ---------------- preload: cuBLAS 13 / cuDNN 9 by absolute path, then the shims ----------
        List<String> pre = new ArrayList<>();
        for (String p : System.getProperty("preload", "").split(":")) if (!p.isBlank()) pre.add(p);
        section("preload", false, () -> {
            if (pre.isEmpty()) throw new IllegalStateException("nothing to preload (-Dpreload empty)");
            List<String> bad = new ArrayList<>();
            for (String p : pre) {
                try {
                    System.load(Paths.get(p).toAbsolutePath().toString());
                    System.out.println("    loaded " + p);
                } catch (Throwable t) {
                    System.out.println("    FAILED " + p + ": " + brief(t));
                    bad.add(Paths.get(p).getFileName().toString());
                }
            }
            if (!bad.isEmpty()) throw new IllegalStateException("could not load " + bad);
            return pre.size() + " libraries";
        });

        // ---------------- the JNI libraries bind to the shims by SONAME (no GPU needed) -----------
        section("jni.load", false, () -> {
            JCublas2.initialize();   // libJCublas2-12.6.0 NEEDS libcublas.so.12 (-> shim)
            JCudnn.initialize();     // libJCudnn-12.6.0 (= the 11.7.0 binary, renamed) NEEDS libcudnn.so.8 (-> shim)
            return "JCublas2 + JCudnn JNI libraries loaded";
        });

        // ---------------- driver ----------------
        section("driver", false, () -> {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            int[] cnt = {0};
            cuDeviceGetCount(cnt);
            CUdevice dev = new CUdevice();
            cuDeviceGet(dev, 0);
            byte[] name = new byte[256];
            cuDeviceGetName(name, name.length, dev);
            int[] drv = {0}, ma = {0}, mi = {0}, sms = {0};
            long[] mem = {0};
            cuDriverGetVersion(drv);
            cuDeviceGetAttribute(ma, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
            cuDeviceGetAttribute(mi, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
            cuDeviceGetAttribute(sms, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev);
            cuDeviceTotalMem(mem, dev);
            smMajor = ma[0];
            smMinor = mi[0];
            String gpu = cstr(name);
            info("gpu", gpu + " (sm_" + ma[0] + mi[0] + ", " + sms[0] + " SMs, " + (mem[0] >> 20) + " MiB, " + cnt[0] + " device(s))");
            info("cuDriverGetVersion", drv[0] + " (CUDA " + drv[0] / 1000 + "." + (drv[0] % 1000) / 10 + ")");
            // the primary context is the one the runtime API inside cuBLAS/cuDNN uses
            CUcontext ctx = new CUcontext();
            cuDevicePrimaryCtxRetain(ctx, dev);
            cuCtxSetCurrent(ctx);
            driverOk = true;
            return gpu + " sm_" + ma[0] + mi[0] + ", driver API " + drv[0];
        });

        // ---------------- custom kernels, 4 ways ----------------
        Path kdir = Paths.get(System.getProperty("kernels", "kernels"));
        String sm = "sm_" + (smMajor == 0 ? "90" : "" + smMajor + smMinor);
        byte[][] ptx = new byte[2][];   // [0] = PTX 9.0 as nvcc 13 wrote it, [1] = rewritten to 8.0
        byte[][] cubin = new byte[1][];
        section("nvptx.compile", false, () -> {
            ptx[0] = Files.readAllBytes(kdir.resolve("smoke_kernels.compute_75.ptx"));
            ptx[1] = rewritePtxVersion(ptx[0], "8.0");
            cubin[0] = nvptx(ptx[1], sm);
            return "PTX .version 8.0 -> " + sm + " cubin on the CPU, " + cubin[0].length + " bytes, ELF ABI v" + cubin[0][8];
        });
        section("kernel.fatbin", true, () -> kernels(Files.readAllBytes(kdir.resolve("smoke_kernels.fatbin")), "fatbin"));
        section("kernel.ptx90", true, () -> kernels(z(need(ptx[0], "PTX")), "ptx90"));
        section("kernel.ptx80", true, () -> kernels(z(need(ptx[1], "PTX")), "ptx80"));
        section("kernel.nvptx", true, () -> kernels(need(cubin[0], "nvPTXCompiler cubin"), "nvptx"));

        // ---------------- cuBLAS via the libcublas.so.12 shim -> libcublas.so.13 ----------------
        section("cublas.sgemm", true, () -> {
            JCublas2.setExceptionsEnabled(true);
            cublasHandle h = new cublasHandle();
            JCublas2.cublasCreate(h);
            int[] ver = {0}, maj = {0}, min = {0}, pat = {0};
            JCublas2.cublasGetVersion(h, ver);
            JCublas2.cublasGetProperty(0, maj);
            JCublas2.cublasGetProperty(1, min);
            JCublas2.cublasGetProperty(2, pat);
            info("cublas", ver[0] + " (" + maj[0] + "." + min[0] + "." + pat[0] + ")");
            cublasOk = true;
            int m = 64, n = 48, k = 32;  // column-major C[m,n] = A[m,k] * B[k,n]
            float[] a = rnd(m * k, 1), b = rnd(k * n, 2);
            CUdeviceptr da = up(a), db = up(b), dc = nan(m * n);
            JCublas2.cublasSgemm(h, 0, 0, m, n, k, one(), da, m, db, k, zero(), dc, m);
            cuCtxSynchronize();
            double[] ref = new double[m * n];
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++) {
                    double s = 0;
                    for (int l = 0; l < k; l++) s += (double) a[i + l * m] * b[l + j * k];
                    ref[i + j * m] = s;
                }
            String r = check(down(dc, m * n), ref, 1e-4);
            JCublas2.cublasDestroy(h);
            return "64x48x32 " + r + ", cublasGetVersion=" + ver[0];
        });

        // ---------------- cuDNN via the libcudnn.so.8 shim -> libcudnn.so.9 ----------------
        int missing = Integer.getInteger("cudnn.missing", 3000);
        section("cudnn.version", true, () -> {
            JCudnn.setExceptionsEnabled(false);   // status codes are checked here, numbered by the loaded version
            cudnnVersion = cudnnGetVersion();
            if (cudnnVersion == missing || cudnnVersion < 8000)
                throw new IllegalStateException("cudnnGetVersion() = " + cudnnVersion
                        + ": the libcudnn.so.8 shim found no target (is libcudnn.so.9 preloaded?)");
            long cudart = cudnnGetCudartVersion();
            info("cudnn", cudnnVersion + " (cudart " + cudart + ")");
            dnnH = new cudnnHandle();
            dnn(cudnnCreate(dnnH), "cudnnCreate");
            cudnnOk = true;
            return "cudnnGetVersion=" + cudnnVersion + ", cudnnGetCudartVersion=" + cudart + ", cudnnCreate OK";
        });
        section("cudnn.conv_fwd", true, () -> {
            int N = 2, C = 3, H = 9, W = 9, K = 4, R = 3, pad = 1, str = 1;
            float[] x = rnd(N * C * H * W, 3), w = rnd(K * C * R * R, 4);
            double[] ref = convRef(x, w, N, C, H, W, K, R, pad, str);
            StringBuilder sb = new StringBuilder();
            for (int math : new int[] {cudnnMathType.CUDNN_FMA_MATH, cudnnMathType.CUDNN_DEFAULT_MATH}) {
                boolean strict = math == cudnnMathType.CUDNN_FMA_MATH;
                cudnnTensorDescriptor xd = td(N, C, H, W);
                cudnnFilterDescriptor wd = fd(K, C, R, R);
                cudnnConvolutionDescriptor cd = convDesc(pad, str, math);
                int[] on = {0}, oc = {0}, oh = {0}, ow = {0};
                dnn(cudnnGetConvolution2dForwardOutputDim(cd, xd, wd, on, oc, oh, ow), "GetConvolution2dForwardOutputDim");
                int P = (H + 2 * pad - R) / str + 1;
                if (on[0] != N || oc[0] != K || oh[0] != P || ow[0] != P)
                    throw new AssertionError("output dims " + on[0] + "x" + oc[0] + "x" + oh[0] + "x" + ow[0]);
                cudnnTensorDescriptor yd = td(N, K, P, P);
                int algo = fwdAlgo(xd, wd, cd, yd, false, true);
                long[] ws = {0};
                dnn(cudnnGetConvolutionForwardWorkspaceSize(dnnH, xd, wd, cd, yd, algo, ws), "GetConvolutionForwardWorkspaceSize");
                CUdeviceptr dws = ws(ws[0]), dx = up(x), dw = up(w), dy = nan(N * K * P * P);
                dnn(cudnnConvolutionForward(dnnH, one(), xd, dx, wd, dw, cd, algo, dws, ws[0], zero(), yd, dy), "ConvolutionForward");
                cuCtxSynchronize();
                // FMA math must be plain fp32; default math may use TF32 tensor cores on sm_80+ (~1e-3)
                sb.append(strict ? "FMA" : "; DEFAULT").append(" math algo=").append(algo).append(" ws=").append(ws[0]).append(' ')
                  .append(check(down(dy, ref.length), ref, strict ? 1e-4 : 1e-2));
            }
            return sb.toString();
        });
        section("cudnn.conv_bwd_data", true, () -> {
            int N = 2, C = 3, H = 9, W = 9, K = 4, R = 3, pad = 1, str = 2, P = (H + 2 * pad - R) / str + 1;
            float[] w = rnd(K * C * R * R, 11), dy = rnd(N * K * P * P, 12);
            cudnnFilterDescriptor wd = fd(K, C, R, R);
            cudnnTensorDescriptor dyd = td(N, K, P, P), dxd = td(N, C, H, W);
            cudnnConvolutionDescriptor cd = convDesc(pad, str, cudnnMathType.CUDNN_FMA_MATH);
            cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[8];
            int[] cnt = {0};
            dnn(cudnnGetConvolutionBackwardDataAlgorithm_v7(dnnH, wd, dyd, cd, dxd, perf.length, cnt, perf), "GetConvolutionBackwardDataAlgorithm_v7");
            int algo = -1;
            StringBuilder cands = new StringBuilder();
            for (int i = 0; i < cnt[0]; i++) {
                cands.append(' ').append(perf[i].algo).append(':').append(perf[i].status);
                if (algo < 0 && perf[i].status == 0) algo = perf[i].algo;
            }
            System.out.println("    _v7 candidates (algo:status):" + cands);
            if (algo < 0) throw new IllegalStateException("no usable backward-data algorithm");
            long[] ws = {0};
            dnn(cudnnGetConvolutionBackwardDataWorkspaceSize(dnnH, wd, dyd, cd, dxd, algo, ws), "GetConvolutionBackwardDataWorkspaceSize");
            CUdeviceptr dws = ws(ws[0]), dW = up(w), dDy = up(dy), dDx = nan(N * C * H * W);
            dnn(cudnnConvolutionBackwardData(dnnH, one(), wd, dW, dyd, dDy, cd, algo, dws, ws[0], zero(), dxd, dDx), "ConvolutionBackwardData");
            cuCtxSynchronize();
            double[] ref = new double[N * C * H * W];
            for (int n = 0; n < N; n++) for (int k = 0; k < K; k++) for (int p = 0; p < P; p++) for (int q = 0; q < P; q++) {
                double g = dy[((n * K + k) * P + p) * P + q];
                for (int c = 0; c < C; c++) for (int r = 0; r < R; r++) for (int s = 0; s < R; s++) {
                    int i = p * str - pad + r, j = q * str - pad + s;
                    if (i >= 0 && i < H && j >= 0 && j < W) ref[((n * C + c) * H + i) * W + j] += g * w[((k * C + c) * R + r) * R + s];
                }
            }
            return "stride 2 pad 1, algo=" + algo + " ws=" + ws[0] + " " + check(down(dDx, ref.length), ref, 1e-4);
        });
        section("cudnn.conv_bwd_filter", true, () -> {
            int N = 2, C = 3, H = 9, W = 9, K = 4, R = 3, pad = 1, str = 2, P = (H + 2 * pad - R) / str + 1;
            float[] x = rnd(N * C * H * W, 13), dy = rnd(N * K * P * P, 14);
            cudnnTensorDescriptor xd = td(N, C, H, W), dyd = td(N, K, P, P);
            cudnnFilterDescriptor dwd = fd(K, C, R, R);
            cudnnConvolutionDescriptor cd = convDesc(pad, str, cudnnMathType.CUDNN_FMA_MATH);
            cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[8];
            int[] cnt = {0};
            dnn(cudnnGetConvolutionBackwardFilterAlgorithm_v7(dnnH, xd, dyd, cd, dwd, perf.length, cnt, perf), "GetConvolutionBackwardFilterAlgorithm_v7");
            int algo = -1;
            StringBuilder cands = new StringBuilder();
            for (int i = 0; i < cnt[0]; i++) {
                cands.append(' ').append(perf[i].algo).append(':').append(perf[i].status);
                if (algo < 0 && perf[i].status == 0) algo = perf[i].algo;
            }
            System.out.println("    _v7 candidates (algo:status):" + cands);
            if (algo < 0) throw new IllegalStateException("no usable backward-filter algorithm");
            long[] ws = {0};
            dnn(cudnnGetConvolutionBackwardFilterWorkspaceSize(dnnH, xd, dyd, cd, dwd, algo, ws), "GetConvolutionBackwardFilterWorkspaceSize");
            CUdeviceptr dws = ws(ws[0]), dX = up(x), dDy = up(dy), dDw = nan(K * C * R * R);
            dnn(cudnnConvolutionBackwardFilter(dnnH, one(), xd, dX, dyd, dDy, cd, algo, dws, ws[0], zero(), dwd, dDw), "ConvolutionBackwardFilter");
            // bias gradient of the same dy: db[k] = sum over n, p, q
            cudnnTensorDescriptor dbd = td(1, K, 1, 1);
            CUdeviceptr dDb = nan(K);
            dnn(cudnnConvolutionBackwardBias(dnnH, one(), dyd, dDy, zero(), dbd, dDb), "ConvolutionBackwardBias");
            cuCtxSynchronize();
            double[] ref = new double[K * C * R * R], refB = new double[K];
            for (int n = 0; n < N; n++) for (int k = 0; k < K; k++) for (int p = 0; p < P; p++) for (int q = 0; q < P; q++) {
                double g = dy[((n * K + k) * P + p) * P + q];
                refB[k] += g;
                for (int c = 0; c < C; c++) for (int r = 0; r < R; r++) for (int s = 0; s < R; s++) {
                    int i = p * str - pad + r, j = q * str - pad + s;
                    if (i >= 0 && i < H && j >= 0 && j < W) ref[((k * C + c) * R + r) * R + s] += g * x[((n * C + c) * H + i) * W + j];
                }
            }
            return "stride 2 pad 1, algo=" + algo + " ws=" + ws[0] + " dW " + check(down(dDw, ref.length), ref, 1e-4)
                    + ", dBias " + check(down(dDb, K), refB, 1e-4);
        });
        section("cudnn.activation", true, () -> {
            float[] x = rnd(2 * 3 * 4 * 5, 5);
            cudnnTensorDescriptor d = td(2, 3, 4, 5);
            cudnnActivationDescriptor ad = new cudnnActivationDescriptor();
            dnn(cudnnCreateActivationDescriptor(ad), "CreateActivationDescriptor");
            dnn(cudnnSetActivationDescriptor(ad, cudnnActivationMode.CUDNN_ACTIVATION_RELU, cudnnNanPropagation.CUDNN_PROPAGATE_NAN, 0.0), "SetActivationDescriptor");
            CUdeviceptr dx = up(x), dy = nan(x.length);
            dnn(cudnnActivationForward(dnnH, ad, one(), d, dx, zero(), d, dy), "ActivationForward");
            cuCtxSynchronize();
            double[] ref = new double[x.length];
            for (int i = 0; i < x.length; i++) ref[i] = Math.max(x[i], 0f);
            return "ReLU " + check(down(dy, x.length), ref, 1e-7);
        });
        section("cudnn.softmax", true, () -> {
            int N = 2, C = 10, H = 2, W = 3;
            float[] x = rnd(N * C * H * W, 6);
            cudnnTensorDescriptor d = td(N, C, H, W);
            CUdeviceptr dx = up(x), dy = nan(x.length);
            dnn(cudnnSoftmaxForward(dnnH, cudnnSoftmaxAlgorithm.CUDNN_SOFTMAX_ACCURATE, cudnnSoftmaxMode.CUDNN_SOFTMAX_MODE_CHANNEL,
                    one(), d, dx, zero(), d, dy), "SoftmaxForward");
            cuCtxSynchronize();
            double[] ref = new double[x.length];
            for (int n = 0; n < N; n++) for (int hw = 0; hw < H * W; hw++) {
                double mx = Double.NEGATIVE_INFINITY, s = 0;
                for (int c = 0; c < C; c++) mx = Math.max(mx, x[(n * C + c) * H * W + hw]);
                for (int c = 0; c < C; c++) s += Math.exp(x[(n * C + c) * H * W + hw] - mx);
                for (int c = 0; c < C; c++) ref[(n * C + c) * H * W + hw] = Math.exp(x[(n * C + c) * H * W + hw] - mx) / s;
            }
            return "channel mode [2,10,2,3] " + check(down(dy, x.length), ref, 1e-5);
        });
        section("cudnn.maxpool", true, () -> {
            int N = 2, C = 3, H = 8, W = 8, P = H / 2;
            float[] x = rnd(N * C * H * W, 7);
            cudnnPoolingDescriptor pd = new cudnnPoolingDescriptor();
            dnn(cudnnCreatePoolingDescriptor(pd), "CreatePoolingDescriptor");
            dnn(cudnnSetPooling2dDescriptor(pd, cudnnPoolingMode.CUDNN_POOLING_MAX, cudnnNanPropagation.CUDNN_PROPAGATE_NAN, 2, 2, 0, 0, 2, 2), "SetPooling2dDescriptor");
            cudnnTensorDescriptor xd = td(N, C, H, W), yd = td(N, C, P, P);
            CUdeviceptr dx = up(x), dy = nan(N * C * P * P);
            dnn(cudnnPoolingForward(dnnH, pd, one(), xd, dx, zero(), yd, dy), "PoolingForward");
            cuCtxSynchronize();
            double[] ref = new double[N * C * P * P];
            for (int nc = 0; nc < N * C; nc++) for (int i = 0; i < P; i++) for (int j = 0; j < P; j++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < 2; r++) for (int q = 0; q < 2; q++) m = Math.max(m, x[(nc * H + 2 * i + r) * W + 2 * j + q]);
                ref[(nc * P + i) * P + j] = m;
            }
            return "2x2/2 on [2,3,8,8] " + check(down(dy, ref.length), ref, 1e-7);
        });
        section("cudnn.bn_train", true, () -> {
            int N = 4, C = 3, H = 5, W = 5, M = N * H * W;
            float[] x = rnd(N * C * H * W, 8), sc = {1f, 2f, 0.5f}, bi = {0f, 1f, -1f};
            float[] rm = {0.1f, -0.2f, 0.3f}, rv = {1f, 0.5f, 2f};
            double eps = 1e-5, f = 0.1;
            cudnnTensorDescriptor xd = td(N, C, H, W), bnd = new cudnnTensorDescriptor();
            dnn(cudnnCreateTensorDescriptor(bnd), "CreateTensorDescriptor");
            dnn(cudnnDeriveBNTensorDescriptor(bnd, xd, cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL), "DeriveBNTensorDescriptor");
            CUdeviceptr dx = up(x), dy = nan(x.length), dRm = up(rm), dRv = up(rv), dSm = nan(C), dSiv = nan(C);
            dnn(cudnnBatchNormalizationForwardTraining(dnnH, cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL, one(), zero(), xd, dx, xd, dy, bnd,
                    up(sc), up(bi), f, dRm, dRv, eps, dSm, dSiv), "BatchNormalizationForwardTraining");
            cuCtxSynchronize();
            double[] mean = new double[C], var = new double[C];
            for (int i = 0; i < x.length; i++) mean[(i / (H * W)) % C] += x[i] / M;
            for (int i = 0; i < x.length; i++) { int c = (i / (H * W)) % C; var[c] += (x[i] - mean[c]) * (x[i] - mean[c]) / M; }
            double[] ref = new double[x.length], refRm = new double[C], refRvU = new double[C], refRvB = new double[C], refSiv = new double[C];
            for (int i = 0; i < x.length; i++) { int c = (i / (H * W)) % C; ref[i] = sc[c] * (x[i] - mean[c]) / Math.sqrt(var[c] + eps) + bi[c]; }
            for (int c = 0; c < C; c++) {
                refRm[c] = (1 - f) * rm[c] + f * mean[c];
                refRvU[c] = (1 - f) * rv[c] + f * var[c] * M / (M - 1);   // unbiased, as PyTorch does
                refRvB[c] = (1 - f) * rv[c] + f * var[c];
                refSiv[c] = 1 / Math.sqrt(var[c] + eps);
            }
            float[] gotRv = down(dRv, C);
            String rvWhich;
            try { check(gotRv, refRvU, 1e-4); rvWhich = "running var unbiased"; }
            catch (AssertionError e) { check(gotRv, refRvB, 1e-4); rvWhich = "running var BIASED (PyTorch uses unbiased)"; }
            return "spatial [4,3,5,5] y " + check(down(dy, x.length), ref, 1e-5) + ", saveMean " + check(down(dSm, C), mean, 1e-5)
                    + ", saveInvVar " + check(down(dSiv, C), refSiv, 1e-4) + ", runMean " + check(down(dRm, C), refRm, 1e-5) + ", " + rvWhich;
        });
        section("cudnn.bn_infer", true, () -> {
            int N = 2, C = 3, H = 4, W = 4;
            float[] x = rnd(N * C * H * W, 9), sc = {1f, 2f, 0.5f}, bi = {0f, 1f, -1f}, mean = {0.1f, -0.2f, 0.3f}, var = {1f, 0.5f, 2f};
            double eps = 1e-5;
            cudnnTensorDescriptor xd = td(N, C, H, W), bnd = new cudnnTensorDescriptor();
            dnn(cudnnCreateTensorDescriptor(bnd), "CreateTensorDescriptor");
            dnn(cudnnDeriveBNTensorDescriptor(bnd, xd, cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL), "DeriveBNTensorDescriptor");
            CUdeviceptr dx = up(x), dy = nan(x.length);
            dnn(cudnnBatchNormalizationForwardInference(dnnH, cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL, one(), zero(), xd, dx, xd, dy, bnd,
                    up(sc), up(bi), up(mean), up(var), eps), "BatchNormalizationForwardInference");
            cuCtxSynchronize();
            double[] ref = new double[x.length];
            for (int i = 0; i < x.length; i++) { int c = (i / (H * W)) % C; ref[i] = sc[c] * (x[i] - mean[c]) / Math.sqrt(var[c] + eps) + bi[c]; }
            return "spatial [2,3,4,4] " + check(down(dy, x.length), ref, 1e-5);
        });
        section("cudnn.removed_fn", true, () -> {
            // cudnnRNNSetClip exists in cuDNN 8 (JCudnn 11.7 imports it) but not in cuDNN 9: the shim
            // must answer with its missing-status instead of killing the JVM with 'symbol lookup error'.
            int rc = cudnnRNNSetClip(dnnH, new cudnnRNNDescriptor(), 0, 0, 0.0, 1.0);
            String lib = cudnnGetErrorString(rc);
            if (rc != missing) throw new AssertionError("cudnnRNNSetClip returned " + rc + " (" + lib + "), expected " + missing);
            if (cudnnVersion >= 90000 && !lib.contains("NOT_SUPPORTED"))
                throw new AssertionError("cudnnGetErrorString(" + rc + ") = " + lib + ", expected a NOT_SUPPORTED name");
            return "cudnnRNNSetClip -> " + rc + " = " + lib + " (by the loaded cuDNN)";
        });
        section("cudnn.status_map", true, () -> {
            // A real error from the real library: cuDNN 9 renumbered cudnnStatus_t (BAD_PARAM 3 -> 2000,
            // NOT_SUPPORTED 9 -> 3000, ...), so JCudnn's own cudnnStatus.stringFor() names it wrongly.
            cudnnTensorDescriptor d = new cudnnTensorDescriptor();
            dnn(cudnnCreateTensorDescriptor(d), "CreateTensorDescriptor");
            int rc = cudnnSetTensor4dDescriptor(d, cudnnTensorFormat.CUDNN_TENSOR_NCHW, cudnnDataType.CUDNN_DATA_FLOAT, -1, 3, 4, 5);
            String lib = cudnnGetErrorString(rc), jc = cudnnStatus.stringFor(rc), mapped = mapStatus(rc);
            StringBuilder table = new StringBuilder();
            for (int c : new int[] {0, 1001, 2000, 3000, 4000, 5000})   // valid in cuDNN 9 (and 0 in 8)
                table.append(' ').append(c).append('=').append(cudnnGetErrorString(c));
            info("cudnn.status_names", table.toString().trim());
            String detail = "SetTensor4dDescriptor(n=-1) -> " + rc + ": library says " + lib + ", JCudnn's stringFor says " + jc + ", mapped " + mapped;
            if (cudnnVersion >= 90000) {
                if (rc / 1000 != 2 || !lib.contains("BAD_PARAM")) throw new AssertionError(detail + " (expected 2xxx BAD_PARAM)");
            } else if (rc != cudnnStatus.CUDNN_STATUS_BAD_PARAM) throw new AssertionError(detail + " (expected 3)");
            return detail;
        });

        // ---------------- timing: the seed workload, cuDNN forward, CUDA events ----------------
        section("bench.seed", true, () -> benchSeed(Integer.getInteger("bench.iters", 200)));

        Set<String> libs = loadedCudaLibraries();
        System.out.println("INFO loaded CUDA-related libraries (/proc/self/maps):");
        for (String l : libs) System.out.println("    " + l);
        System.out.println("RESULT pass=" + pass + " fail=" + fail + " skip=" + skip);
        System.out.flush();
        System.exit(fail == 0 ? 0 : 1);
    }

    // =====================================================================================
    // sections

    interface Body { String run() throws Throwable; }

    /** Runs one section; gpu sections are skipped when an earlier prerequisite failed. */
    static void section(String key, boolean gpu, Body b) {
        current = key;
        String why = null;
        if (gpu && !driverOk) why = "no CUDA driver/device (see 'driver')";
        else if (key.startsWith("cudnn.") && !key.equals("cudnn.version") && !cudnnOk) why = "cuDNN not usable (see 'cudnn.version')";
        else if (key.startsWith("bench.") && !cudnnOk) why = "cuDNN not usable (see 'cudnn.version')";
        if (why != null) {
            skip++;
            System.out.println("SKIP " + key + ": " + why);
            return;
        }
        System.out.println("RUN  " + key);   // shows where a hang or a JVM crash happened
        System.out.flush();
        long t0 = System.nanoTime();
        try {
            String detail = b.run();
            pass++;
            System.out.println("PASS " + key + ": " + (detail == null ? "" : detail) + ms(t0));
        } catch (Throwable t) {
            fail++;
            System.out.println("FAIL " + key + ": " + brief(t) + ms(t0));
            if (Boolean.getBoolean("verbose")) t.printStackTrace(System.out);
        } finally {
            freeAll();
        }
        System.out.flush();
    }

    static String ms(long t0) { return String.format(" [%.0f ms]", (System.nanoTime() - t0) / 1e6); }

    static void info(String key, String value) {
        System.out.println("INFO " + key + ": " + value);
    }

    /** One readable line for any failure, e.g. the cause inside JCuda's long UnsatisfiedLinkError text. */
    static String brief(Throwable t) {
        Throwable c = t;
        while ((c instanceof ExceptionInInitializerError || c instanceof java.lang.reflect.InvocationTargetException) && c.getCause() != null)
            c = c.getCause();
        String msg = String.valueOf(c.getMessage());
        if (c instanceof UnsatisfiedLinkError || c instanceof NoClassDefFoundError) {
            // JCuda's LibUtils puts both attempts' stack traces into one long message: keep the
            // reason the dynamic linker gave (missing library, version node, symbol) and put it first
            String first = msg.split("\n", 2)[0].replaceFirst("^Error while loading native library ", "cannot load ");
            StringBuilder why = new StringBuilder();
            for (String line : msg.split("\n")) {
                String l = line.trim().replaceFirst("^java\\.lang\\.UnsatisfiedLinkError: ", "");
                if (l.contains("cannot open shared object") || l.contains("version `") || l.contains("undefined symbol")
                        || l.contains("No resource found") || l.contains("wrong ELF") || l.contains("cannot allocate")
                        || l.contains("failed to map")) {
                    l = l.replaceFirst("^/\\S*/(lib[^/ ]+\\.so): ", "$1: ");
                    if (why.indexOf(l) < 0) why.append(why.length() > 0 ? " | " : "").append(l);
                }
            }
            return c.getClass().getSimpleName() + ": " + (why.length() > 0 ? why + " (" + first + ")" : first);
        }
        return c.getClass().getSimpleName() + ": " + msg.replace('\n', ' ');
    }

    static void startWatchdog(long seconds) {
        if (seconds <= 0) return;
        Thread t = new Thread(() -> {
            try { Thread.sleep(seconds * 1000); } catch (InterruptedException e) { return; }
            System.out.println("FAIL watchdog: section '" + current + "' still running after " + seconds + " s; halting");
            System.out.println("RESULT pass=" + pass + " fail=" + (fail + 1) + " skip=" + skip);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }, "watchdog");
        t.setDaemon(true);
        t.start();
    }

    // =====================================================================================
    // kernels

    static byte[] need(byte[] b, String what) {
        if (b == null) throw new IllegalStateException(what + " not available (see 'nvptx.compile')");
        return b;
    }

    static byte[] z(byte[] s) { return Arrays.copyOf(s, s.length + 1); }

    static byte[] rewritePtxVersion(byte[] ptx, String v) {
        String s = new String(ptx, StandardCharsets.UTF_8);
        String r = s.replaceFirst("(?m)^\\.version \\d+\\.\\d+", ".version " + v);
        if (r.equals(s) && !s.contains(".version " + v)) throw new IllegalStateException("no .version line in PTX");
        return r.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] nvptx(byte[] ptx, String sm) {
        byte[] src = z(ptx);
        nvPTXCompilerHandle c = new nvPTXCompilerHandle();
        int[] maj = {0}, min = {0};
        JNvPTXCompiler.nvPTXCompilerGetVersion(maj, min);
        nvp(JNvPTXCompiler.nvPTXCompilerCreate(c, ptx.length, src), "nvPTXCompilerCreate");
        int r = JNvPTXCompiler.nvPTXCompilerCompile(c, 1, new String[] {"--gpu-name=" + sm});
        if (r != nvPTXCompileResult.NVPTXCOMPILE_SUCCESS) {
            long[] n = {0};
            JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(c, n);
            byte[] log = new byte[(int) n[0] + 1];
            JNvPTXCompiler.nvPTXCompilerGetErrorLog(c, log);
            throw new IllegalStateException("nvPTXCompiler " + maj[0] + "." + min[0] + " -> " + sm + ": " + nvPTXCompileResult.stringFor(r)
                    + " " + new String(log, StandardCharsets.UTF_8).replace("\0", "").trim());
        }
        long[] n = {0};
        nvp(JNvPTXCompiler.nvPTXCompilerGetCompiledProgramSize(c, n), "GetCompiledProgramSize");
        byte[] cubin = new byte[(int) n[0]];
        nvp(JNvPTXCompiler.nvPTXCompilerGetCompiledProgram(c, cubin), "GetCompiledProgram");
        JNvPTXCompiler.nvPTXCompilerDestroy(c);
        info("nvPTXCompiler", maj[0] + "." + min[0]);
        return cubin;
    }

    static void nvp(int r, String what) {
        if (r != nvPTXCompileResult.NVPTXCOMPILE_SUCCESS) throw new IllegalStateException(what + ": " + nvPTXCompileResult.stringFor(r));
    }

    /** Loads the image, runs relu_fwd and sum_reduce and checks them; returns a detail string. */
    static String kernels(byte[] image, String how) throws Exception {
        CUmodule m = new CUmodule();
        try {
            cuModuleLoadData(m, image);
        } catch (jcuda.CudaException e) {
            throw new IllegalStateException(e.getMessage() + jitLog(image));
        }
        try {
            CUfunction relu = new CUfunction(), sum = new CUfunction();
            cuModuleGetFunction(relu, m, "relu_fwd");
            cuModuleGetFunction(sum, m, "sum_reduce");
            int[] bin = {0}, ptxv = {0};
            cuFuncGetAttribute(bin, CUfunction_attribute.CU_FUNC_ATTRIBUTE_BINARY_VERSION, relu);
            cuFuncGetAttribute(ptxv, CUfunction_attribute.CU_FUNC_ATTRIBUTE_PTX_VERSION, relu);
            int n = 1 << 20;
            float[] x = rnd(n, 10);
            CUdeviceptr dx = up(x), dy = nan(n), ds = up(new float[1]);
            CUstream s0 = new CUstream();   // native handle 0: the legacy default stream
            cuLaunchKernel(relu, (n + 255) / 256, 1, 1, 256, 1, 1, 0, s0,
                    Pointer.to(Pointer.to(dx), Pointer.to(dy), Pointer.to(new long[] {n})), null);
            cuLaunchKernel(sum, 264, 1, 1, 256, 1, 1, 0, s0,
                    Pointer.to(Pointer.to(dx), Pointer.to(ds), Pointer.to(new long[] {n})), null);
            cuCtxSynchronize();
            double[] ref = new double[n];
            double s = 0, sabs = 0;
            for (int i = 0; i < n; i++) { ref[i] = Math.max(x[i], 0f); s += x[i]; sabs += Math.abs(x[i]); }
            String r = check(down(dy, n), ref, 0);
            float got = down(ds, 1)[0];
            double err = Math.abs(got - s) / sabs;
            if (!(err < 1e-5)) throw new AssertionError("sum_reduce " + got + " vs " + s + " (err " + err + " of sum|x|)");
            return "relu_fwd " + r + ", sum_reduce err " + String.format("%.1e", err) + " of sum|x|; binaryVersion=" + bin[0] + " ptxVersion=" + ptxv[0];
        } finally {
            cuModuleUnload(m);
        }
    }

    /** Best effort: the driver JIT's error log for an image that failed to load. */
    static String jitLog(byte[] image) {
        try {
            JITOptions o = new JITOptions();
            o.putInt(CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, 8192);
            o.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, new byte[8192]);
            JCudaDriver.setExceptionsEnabled(false);
            int r = cuModuleLoadDataJIT(new CUmodule(), Pointer.to(image), o);
            String log = o.getString(CUjit_option.CU_JIT_ERROR_LOG_BUFFER);
            return " | JIT (" + r + "): " + (log == null ? "" : log.trim().replace('\n', ' '));
        } catch (Throwable t) {
            return "";
        } finally {
            JCudaDriver.setExceptionsEnabled(true);
        }
    }

    // =====================================================================================
    // cuDNN helpers

    static void dnn(int rc, String what) {
        if (rc != 0) throw new IllegalStateException("cudnn" + what + " -> " + mapStatus(rc));
    }

    /** The mapping the library must do itself: by the loaded cuDNN's major version. */
    static String mapStatus(int rc) {
        if (cudnnVersion >= 90000) {
            String[] fam = {"SUCCESS", "NOT_INITIALIZED family", "BAD_PARAM family", "NOT_SUPPORTED family", "INTERNAL_ERROR family", "EXECUTION_FAILED family"};
            int f = rc / 1000;
            String name = f >= 0 && f < fam.length ? fam[f] : "unknown";
            String lib = "";
            try { lib = ", " + cudnnGetErrorString(rc); } catch (Throwable t) { /* ignore */ }
            return rc + " (cuDNN 9: " + name + lib + ")";
        }
        return rc + " (" + cudnnStatus.stringFor(rc) + ")";
    }

    static cudnnTensorDescriptor td(int n, int c, int h, int w) {
        cudnnTensorDescriptor d = new cudnnTensorDescriptor();
        dnn(cudnnCreateTensorDescriptor(d), "CreateTensorDescriptor");
        dnn(cudnnSetTensor4dDescriptor(d, cudnnTensorFormat.CUDNN_TENSOR_NCHW, cudnnDataType.CUDNN_DATA_FLOAT, n, c, h, w), "SetTensor4dDescriptor");
        return d;
    }

    static cudnnFilterDescriptor fd(int k, int c, int r, int s) {
        cudnnFilterDescriptor d = new cudnnFilterDescriptor();
        dnn(cudnnCreateFilterDescriptor(d), "CreateFilterDescriptor");
        dnn(cudnnSetFilter4dDescriptor(d, cudnnDataType.CUDNN_DATA_FLOAT, cudnnTensorFormat.CUDNN_TENSOR_NCHW, k, c, r, s), "SetFilter4dDescriptor");
        return d;
    }

    static cudnnConvolutionDescriptor convDesc(int pad, int stride, int math) {
        cudnnConvolutionDescriptor d = new cudnnConvolutionDescriptor();
        dnn(cudnnCreateConvolutionDescriptor(d), "CreateConvolutionDescriptor");
        dnn(cudnnSetConvolution2dDescriptor(d, pad, pad, stride, stride, 1, 1, cudnnConvolutionMode.CUDNN_CROSS_CORRELATION,
                cudnnDataType.CUDNN_DATA_FLOAT), "SetConvolution2dDescriptor");
        dnn(cudnnSetConvolutionMathType(d, math), "SetConvolutionMathType");
        return d;
    }

    /** First usable algorithm from the _v7 heuristic (find=false) or from cudnnFind (find=true). */
    static int fwdAlgo(cudnnTensorDescriptor xd, cudnnFilterDescriptor wd, cudnnConvolutionDescriptor cd, cudnnTensorDescriptor yd,
                       boolean find, boolean print) {
        int[] max = {0};
        dnn(cudnnGetConvolutionForwardAlgorithmMaxCount(dnnH, max), "GetConvolutionForwardAlgorithmMaxCount");
        cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[Math.max(max[0], 1)];
        int[] cnt = {0};
        if (find) dnn(cudnnFindConvolutionForwardAlgorithm(dnnH, xd, wd, cd, yd, perf.length, cnt, perf), "FindConvolutionForwardAlgorithm");
        else dnn(cudnnGetConvolutionForwardAlgorithm_v7(dnnH, xd, wd, cd, yd, perf.length, cnt, perf), "GetConvolutionForwardAlgorithm_v7");
        int algo = -1;
        StringBuilder cands = new StringBuilder();
        for (int i = 0; i < cnt[0]; i++) {
            cands.append(' ').append(perf[i].algo).append(':').append(perf[i].status);
            if (find) cands.append(String.format(":%.3fms", perf[i].time));
            if (algo < 0 && perf[i].status == 0 && perf[i].memory < (1L << 30)) algo = perf[i].algo;
        }
        if (print) System.out.println("    " + (find ? "Find" : "_v7") + " candidates (algo:status" + (find ? ":time" : "") + "):" + cands);
        if (algo < 0) throw new IllegalStateException("no usable forward algorithm among" + cands);
        return algo;
    }

    static double[] convRef(float[] x, float[] w, int N, int C, int H, int W, int K, int R, int pad, int str) {
        int P = (H + 2 * pad - R) / str + 1, Q = (W + 2 * pad - R) / str + 1;
        double[] y = new double[N * K * P * Q];
        for (int n = 0; n < N; n++) for (int k = 0; k < K; k++) for (int p = 0; p < P; p++) for (int q = 0; q < Q; q++) {
            double s = 0;
            for (int c = 0; c < C; c++) for (int r = 0; r < R; r++) {
                int i = p * str - pad + r;
                if (i < 0 || i >= H) continue;
                int xo = ((n * C + c) * H + i) * W, wo = ((k * C + c) * R + r) * R;
                for (int t = 0; t < R; t++) {
                    int j = q * str - pad + t;
                    if (j >= 0 && j < W) s += (double) x[xo + j] * w[wo + t];
                }
            }
            y[((n * K + k) * P + p) * Q + q] = s;
        }
        return y;
    }

    // =====================================================================================
    // benchmark: docs/PERFORMANCE.md workload a, forward, x[64,1,28,28] -> Conv2d(1,20,5) -> relu -> Conv2d(20,20,5) -> relu

    static String benchSeed(int iters) throws Exception {
        int N = 64, C0 = 1, H0 = 28, K = 20, R = 5, H1 = 24, H2 = 20;
        float[] x = rnd(N * C0 * H0 * H0, 20), w1 = scaled(rnd(K * C0 * R * R, 21), 0.2f), b1 = rnd(K, 22),
                w2 = scaled(rnd(K * K * R * R, 23), 0.045f), b2 = rnd(K, 24);
        cudnnTensorDescriptor xd = td(N, C0, H0, H0), y1d = td(N, K, H1, H1), y2d = td(N, K, H2, H2), bd = td(1, K, 1, 1);
        cudnnFilterDescriptor w1d = fd(K, C0, R, R), w2d = fd(K, K, R, R);
        cudnnActivationDescriptor relu = new cudnnActivationDescriptor();
        dnn(cudnnCreateActivationDescriptor(relu), "CreateActivationDescriptor");
        dnn(cudnnSetActivationDescriptor(relu, cudnnActivationMode.CUDNN_ACTIVATION_RELU, cudnnNanPropagation.CUDNN_PROPAGATE_NAN, 0.0), "SetActivationDescriptor");
        CUdeviceptr dx = up(x), dw1 = up(w1), db1 = up(b1), dw2 = up(w2), db2 = up(b2), dy1 = nan(N * K * H1 * H1), dy2 = nan(N * K * H2 * H2);

        // CPU reference of the whole forward, once
        double[] r1 = convRef(x, w1, N, C0, H0, H0, K, R, 0, 1);
        float[] a1 = new float[r1.length];
        for (int i = 0; i < r1.length; i++) a1[i] = (float) Math.max(0, r1[i] + b1[(i / (H1 * H1)) % K]);
        double[] ref = convRef(a1, w2, N, K, H1, H1, K, R, 0, 1);
        for (int i = 0; i < ref.length; i++) ref[i] = Math.max(0, ref[i] + b2[(i / (H2 * H2)) % K]);

        String[] names = {"heur_fma", "heur_default", "find_default"};
        StringBuilder out = new StringBuilder();
        CUevent e0 = new CUevent(), e1 = new CUevent();
        cuEventCreate(e0, CUevent_flags.CU_EVENT_DEFAULT);
        cuEventCreate(e1, CUevent_flags.CU_EVENT_DEFAULT);
        CUstream s0 = new CUstream();   // legacy default stream: where the cuDNN handle runs too
        for (String cfg : names) {
            int math = cfg.endsWith("fma") ? cudnnMathType.CUDNN_FMA_MATH : cudnnMathType.CUDNN_DEFAULT_MATH;
            boolean find = cfg.startsWith("find");
            cudnnConvolutionDescriptor cd = convDesc(0, 1, math);
            int a1g = fwdAlgo(xd, w1d, cd, y1d, find, false), a2g = fwdAlgo(y1d, w2d, cd, y2d, find, false);
            long[] s1 = {0}, s2 = {0};
            dnn(cudnnGetConvolutionForwardWorkspaceSize(dnnH, xd, w1d, cd, y1d, a1g, s1), "GetConvolutionForwardWorkspaceSize");
            dnn(cudnnGetConvolutionForwardWorkspaceSize(dnnH, y1d, w2d, cd, y2d, a2g, s2), "GetConvolutionForwardWorkspaceSize");
            long wsz = Math.max(s1[0], s2[0]);
            CUdeviceptr dws = ws(wsz);
            Runnable convs = () -> {
                dnn(cudnnConvolutionForward(dnnH, one(), xd, dx, w1d, dw1, cd, a1g, dws, wsz, zero(), y1d, dy1), "ConvolutionForward");
                dnn(cudnnConvolutionForward(dnnH, one(), y1d, dy1, w2d, dw2, cd, a2g, dws, wsz, zero(), y2d, dy2), "ConvolutionForward");
            };
            Runnable full = () -> {
                dnn(cudnnConvolutionForward(dnnH, one(), xd, dx, w1d, dw1, cd, a1g, dws, wsz, zero(), y1d, dy1), "ConvolutionForward");
                dnn(cudnnAddTensor(dnnH, one(), bd, db1, one(), y1d, dy1), "AddTensor");
                dnn(cudnnActivationForward(dnnH, relu, one(), y1d, dy1, zero(), y1d, dy1), "ActivationForward");
                dnn(cudnnConvolutionForward(dnnH, one(), y1d, dy1, w2d, dw2, cd, a2g, dws, wsz, zero(), y2d, dy2), "ConvolutionForward");
                dnn(cudnnAddTensor(dnnH, one(), bd, db2, one(), y2d, dy2), "AddTensor");
                dnn(cudnnActivationForward(dnnH, relu, one(), y2d, dy2, zero(), y2d, dy2), "ActivationForward");
            };
            full.run();
            cuCtxSynchronize();
            String err = check(down(dy2, ref.length), ref, math == cudnnMathType.CUDNN_FMA_MATH ? 1e-4 : 1e-2);
            double[] tFull = time(full, iters, e0, e1, s0);
            String line = String.format("a_fwd %-12s algos %d/%d ws %d B: median %.4f ms (p10 %.4f, p90 %.4f) = %.0f GFLOP/s, %s",
                    cfg, a1g, a2g, wsz, tFull[0], tFull[1], tFull[2], 0.549 / tFull[0] * 1e3, err);
            System.out.println("    " + line);
            info("bench.a_fwd." + cfg, String.format("%.4f ms", tFull[0]));
            out.append(cfg).append(String.format(" %.4f ms; ", tFull[0]));
            if (cfg.equals("heur_fma")) {
                double[] tc = time(convs, iters, e0, e1, s0);
                info("bench.convs_only.heur_fma", String.format("%.4f ms", tc[0]));
                out.append("convs-only heur_fma ").append(String.format("%.4f ms; ", tc[0]));
            }
            if (wsz > 0) {
                cuMemFree(dws);
                allocs.remove(dws);
            }
        }
        return "workload a fwd (" + iters + " runs each, median): " + out.toString().trim();
    }

    /** Median, p10, p90 in ms of body, timed with CUDA events on the legacy default stream. */
    static double[] time(Runnable body, int iters, CUevent e0, CUevent e1, CUstream s) {
        for (int i = 0; i < 20; i++) body.run();
        cuCtxSynchronize();
        double[] t = new double[iters];
        float[] ms = {0};
        for (int i = 0; i < iters; i++) {
            cuEventRecord(e0, s);
            body.run();
            cuEventRecord(e1, s);
            cuEventSynchronize(e1);
            cuEventElapsedTime(ms, e0, e1);
            t[i] = ms[0];
        }
        Arrays.sort(t);
        return new double[] {t[iters / 2], t[iters / 10], t[iters * 9 / 10]};
    }

    // =====================================================================================
    // memory and data helpers

    static float[] rnd(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    static float[] scaled(float[] a, float s) {
        for (int i = 0; i < a.length; i++) a[i] *= s;
        return a;
    }

    static Pointer one() { return Pointer.to(new float[] {1f}); }

    static Pointer zero() { return Pointer.to(new float[] {0f}); }

    static CUdeviceptr up(float[] a) {
        CUdeviceptr p = new CUdeviceptr();
        cuMemAlloc(p, Math.max(4L, 4L * a.length));
        allocs.add(p);
        if (a.length > 0) cuMemcpyHtoD(p, Pointer.to(a), 4L * a.length);
        return p;
    }

    /** An output buffer poisoned with NaN, so that an element nothing wrote fails the check. */
    static CUdeviceptr nan(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return up(a);
    }

    static CUdeviceptr ws(long bytes) {
        CUdeviceptr p = new CUdeviceptr();
        if (bytes > 0) {
            cuMemAlloc(p, bytes);
            allocs.add(p);
        }
        return p;
    }

    static float[] down(CUdeviceptr p, int n) {
        float[] a = new float[n];
        cuMemcpyDtoH(Pointer.to(a), p, 4L * n);
        return a;
    }

    static void freeAll() {
        if (!driverOk) { allocs.clear(); return; }
        for (CUdeviceptr p : allocs) {
            try { cuMemFree(p); } catch (Throwable t) { /* ignore */ }
        }
        allocs.clear();
    }

    /** Normwise relative error ||got-ref|| / ||ref||; every element must be finite. */
    static String check(float[] got, double[] ref, double tol) {
        double num = 0, den = 0, worst = 0;
        for (int i = 0; i < ref.length; i++) {
            if (!Float.isFinite(got[i])) throw new AssertionError("element " + i + " is " + got[i] + " (not written?)");
            double d = got[i] - ref[i];
            num += d * d;
            den += ref[i] * ref[i];
            worst = Math.max(worst, Math.abs(d));
        }
        double rel = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
        String s = String.format("relerr %.1e (max abs %.1e)", rel, worst);
        if (!(rel <= tol)) throw new AssertionError(s + " > tol " + tol);
        return s;
    }

    static String cstr(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.US_ASCII).trim();
    }

    static Set<String> loadedCudaLibraries() {
        Set<String> s = new LinkedHashSet<>();
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/self/maps"))) {
                int i = l.indexOf('/');
                if (i < 0) continue;
                String p = l.substring(i).trim();
                if (p.matches(".*/lib(cuda|cudnn|cublas|JCu|JNv|nvrtc|nvJitLink|cudart)[^/]*\\.so[^/]*")) s.add(p);
            }
        } catch (Exception e) {
            s.add("(cannot read /proc/self/maps: " + e + ")");
        }
        return s;
    }
}
