package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelSignaturesTest {
  static final String PTX = String.join("\n",
      ".version 8.0",
      ".target sm_75",
      ".visible .entry k1(",
      "\t.param .u32 k1_param_0,",
      "\t.param .align 4 .b8 k1_param_1[144],",
      "\t.param .u64 .ptr .align 1 k1_param_2,",
      "\t.param .f64 k1_param_3,",
      "\t.param .f32 k1_param_4",
      ")",
      "{",
      "\tbar.sync \t0;",
      "}",
      ".visible .entry k2(",
      "\t.param .u64 k2_param_0",
      ")",
      "{",
      "\tret;",
      "}",
      "");

  @Test
  void parsesEntriesParametersAndBarriers() {
    KernelSignatures s = KernelSignatures.parse(PTX);
    assertEquals(List.of("k1", "k2"), List.copyOf(s.all().keySet()));
    KernelSignatures.Signature k1 = s.get("k1");
    assertEquals(5, k1.params().size());
    assertEquals(new KernelSignatures.Param("b[]", 144), k1.params().get(1));
    assertEquals(8, k1.params().get(2).bytes());
    assertTrue(k1.usesBarrier());
    assertFalse(s.get("k2").usesBarrier());
  }

  @Test
  void checksLaunchArguments() {
    KernelSignatures s = KernelSignatures.parse(PTX);
    s.check("k1", new KernelArgs().i32(1).struct(new int[36]).ptr(8).f64(1).f32(1));
    assertThrows(IllegalStateException.class, () -> s.check("k1", new KernelArgs().i32(1)));
    assertThrows(IllegalStateException.class,
        () -> s.check("k1", new KernelArgs().i32(1).struct(new int[35]).ptr(8).f64(1).f32(1)));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> s.check("k1", new KernelArgs().i32(1).struct(new int[36]).ptr(8).f32(1).f32(1)));
    assertTrue(e.getMessage().contains("argument 3"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> s.check("k2", new KernelArgs().i32(3)));
    assertThrows(IllegalStateException.class, () -> s.get("nope"));
  }

  @Test
  void theShippedModuleHasEveryKernelTheBackEndLaunches() {
    KernelSignatures s = KernelImages.signatures();
    for (String t : new String[] {"f32", "f64"}) {
      for (String k : new String[] {"maxpool2d_fwd_", "maxpool2d_bwd_", "avgpool2d_fwd_", "avgpool2d_bwd_",
          "adaptive_avgpool2d_fwd_", "adaptive_avgpool2d_bwd_", "batchnorm_train_", "batchnorm_infer_",
          "batchnorm_bwd_", "layernorm_fwd_", "layernorm_bwd_input_", "layernorm_bwd_params_",
          "softmax_rows_", "softmax_cols_", "softmax_bwd_rows_", "softmax_bwd_cols_", "nll_fwd_",
          "nll_bwd_", "cross_entropy_bwd_", "embedding_fwd_", "embedding_bwd_"}) {
        s.get(k + t);
      }
    }
    for (String t : new String[] {"f32", "f64", "i64", "u8"}) {
      for (String k : new String[] {"fill_", "unary_", "binary_", "where_", "reduce_sum_", "reduce_minmax_",
          "index_read_", "index_accumulate_", "index_scatter_"}) {
        s.get(k + t);
      }
      for (String d : new String[] {"f32", "f64", "i64", "u8"}) {
        s.get("copy_" + t + "_" + d);
      }
    }
    s.get("gemm_i64");
    assertTrue(s.get("reduce_sum_f32").usesBarrier());
    assertFalse(s.get("binary_f32").usesBarrier());
  }

  @Test
  void itersCoalesceAndSplit() {
    // a contiguous 2x3x4 tensor is one dim of 24
    List<int[]> one = Iters.iter(new int[] {2, 3, 4}, new int[][] {{12, 4, 1}, {12, 4, 1}}, new int[] {5, 0});
    assertEquals(1, one.size());
    assertEquals(1, one.get(0)[0]);
    assertEquals(24, one.get(0)[1]);
    assertEquals(5, one.get(0)[2 + Iters.MAXD + 4 * Iters.MAXD]);
    // broadcast dims stay separate
    List<int[]> b = Iters.iter(new int[] {2, 3}, new int[][] {{0, 1}, {3, 1}}, new int[] {0, 0});
    assertEquals(2, b.get(0)[0]);
    // 8 non-mergeable dims: split over the leading two (2 x 3 launches)
    int[] shape = {2, 3, 2, 3, 2, 3, 2, 3};
    int[] st = {1, 2, 6, 12, 36, 72, 216, 432};
    List<int[]> deep = Iters.iter(shape, new int[][] {st, Iters.contiguousStrides(shape)}, new int[] {0, 0});
    assertEquals(6, deep.size());
    assertTrue(Iters.iter(new int[] {3, 0}, new int[][] {{0, 1}}, new int[] {0}).isEmpty());
  }
}
