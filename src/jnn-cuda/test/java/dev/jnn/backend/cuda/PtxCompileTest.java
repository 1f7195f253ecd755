package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompileResult;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;
import org.junit.jupiter.api.Test;

/**
 * The committed PTX, rewritten to {@code .version 8.0} for drivers R525-R570, uses no PTX feature
 * newer than ISA 8.0: JCuda's bundled nvPTXCompiler (ptxas 12.0, runs without a GPU) compiles it
 * for sm_75 .. sm_90 (without optimisation: only the ISA is being checked). By default the two
 * ends, sm_75 and sm_90, in parallel (about 3 s); {@code -Djnn.test.allPtxTargets=true} adds sm_80,
 * sm_86 and sm_89.
 */
class PtxCompileTest {
  @Test
  void ptx80CompilesForSm75ToSm90() throws Exception {
    byte[] src = (KernelImages.ptx() + "\0").getBytes(StandardCharsets.UTF_8);
    Path tmp = Files.createTempDirectory("jnn-nvptx");
    NativeSetup.withTmpDir(tmp, () -> {
      JNvPTXCompiler.setExceptionsEnabled(false);
      return null;
    });
    int[] maj = {0};
    int[] min = {0};
    JNvPTXCompiler.nvPTXCompilerGetVersion(maj, min);
    String[] targets = Boolean.getBoolean("jnn.test.allPtxTargets")
        ? new String[] {"sm_75", "sm_80", "sm_86", "sm_89", "sm_90"}
        : new String[] {"sm_75", "sm_90"};
    String report = java.util.Arrays.stream(targets).parallel().map(sm -> compile(src, sm, maj, min))
        .collect(java.util.stream.Collectors.joining("; "));
    System.out.println("PtxCompileTest: nvPTXCompiler " + maj[0] + "." + min[0] + ": " + report);
  }

  private static String compile(byte[] src, String sm, int[] maj, int[] min) {
    {
      nvPTXCompilerHandle h = new nvPTXCompilerHandle();
      assertEquals(nvPTXCompileResult.NVPTXCOMPILE_SUCCESS,
          JNvPTXCompiler.nvPTXCompilerCreate(h, src.length - 1, src));
      int r = JNvPTXCompiler.nvPTXCompilerCompile(h, 2, new String[] {"--gpu-name=" + sm, "--opt-level=0"});
      String log = "";
      if (r != nvPTXCompileResult.NVPTXCOMPILE_SUCCESS) {
        long[] n = {0};
        JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(h, n);
        byte[] b = new byte[(int) n[0] + 1];
        JNvPTXCompiler.nvPTXCompilerGetErrorLog(h, b);
        log = new String(b, StandardCharsets.UTF_8).trim();
      }
      long[] size = {0};
      if (r == nvPTXCompileResult.NVPTXCOMPILE_SUCCESS) {
        JNvPTXCompiler.nvPTXCompilerGetCompiledProgramSize(h, size);
      }
      JNvPTXCompiler.nvPTXCompilerDestroy(h);
      assertEquals(nvPTXCompileResult.NVPTXCOMPILE_SUCCESS, r,
          "nvPTXCompiler " + maj[0] + "." + min[0] + " -> " + sm + ": " + nvPTXCompileResult.stringFor(r) + " " + log);
      assertTrue(size[0] > 0);
      return sm + " " + size[0] + " B";
    }
  }
}
