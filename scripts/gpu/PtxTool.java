import static jcuda.nvptxcompiler.JNvPTXCompiler.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import jcuda.nvptxcompiler.nvPTXCompileResult;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;

/**
 * Compiles a PTX file to a cubin on the CPU with the nvPTXCompiler (ptxas 12.0) that is statically
 * linked into JCuda 12.6.0's libJNvPTXCompiler: no GPU, driver or CUDA toolkit needed.
 *
 * usage: PtxTool in.ptx sm_XX out.cubin [--ptx-version X.Y]
 * With --ptx-version the first ".version" line is rewritten first (the same rewrite GpuSmoke does).
 * Exit status 1 if the compilation fails (the compiler's error log is printed).
 */
public class PtxTool {
    public static void main(String[] a) throws Exception {
        if (a.length != 3 && !(a.length == 5 && a[3].equals("--ptx-version"))) {
            System.err.println("usage: PtxTool in.ptx sm_XX out.cubin [--ptx-version X.Y]");
            System.exit(2);
        }
        String ptx = new String(Files.readAllBytes(Paths.get(a[0])), StandardCharsets.UTF_8);
        if (a.length == 5) ptx = ptx.replaceFirst("(?m)^\\.version \\d+\\.\\d+", ".version " + a[4]);
        String ver = ptx.replaceAll("(?s)^.*?(\\.version \\S+).*$", "$1");
        int[] maj = {0}, min = {0};
        nvPTXCompilerGetVersion(maj, min);
        byte[] src = (ptx + "\0").getBytes(StandardCharsets.UTF_8);
        nvPTXCompilerHandle h = new nvPTXCompilerHandle();
        check(nvPTXCompilerCreate(h, src.length - 1, src), "nvPTXCompilerCreate");
        int r = nvPTXCompilerCompile(h, 1, new String[] {"--gpu-name=" + a[1]});
        String head = "nvPTXCompiler " + maj[0] + "." + min[0] + " " + ver + " -> " + a[1] + ": ";
        if (r != nvPTXCompileResult.NVPTXCOMPILE_SUCCESS) {
            long[] n = {0};
            nvPTXCompilerGetErrorLogSize(h, n);
            byte[] log = new byte[(int) n[0] + 1];
            nvPTXCompilerGetErrorLog(h, log);
            System.out.println(head + "FAILED (" + nvPTXCompileResult.stringFor(r) + ") "
                    + new String(log, StandardCharsets.UTF_8).replace("\0", "").trim());
            nvPTXCompilerDestroy(h);
            System.exit(1);
        }
        long[] n = {0};
        check(nvPTXCompilerGetCompiledProgramSize(h, n), "nvPTXCompilerGetCompiledProgramSize");
        byte[] cubin = new byte[(int) n[0]];
        check(nvPTXCompilerGetCompiledProgram(h, cubin), "nvPTXCompilerGetCompiledProgram");
        nvPTXCompilerDestroy(h);
        Files.write(Paths.get(a[2]), cubin);
        String abi = cubin.length > 8 ? String.format(" (ELF OSABI 0x%02x, ABI version %d)", cubin[7], cubin[8]) : "";
        System.out.println(head + "OK, " + cubin.length + " bytes" + abi);
    }

    static void check(int r, String what) {
        if (r != nvPTXCompileResult.NVPTXCOMPILE_SUCCESS) {
            System.out.println(what + " failed: " + nvPTXCompileResult.stringFor(r));
            System.exit(1);
        }
    }
}
