package dev.jnn.tensor;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.ShapeMismatchException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Batched products (issue 17 item 7): {@code torch.bmm}, {@code torch.baddbmm} and {@code
 * torch.einsum}. bmm runs the existing batched GEMM of {@link Tensor#matmul} under no-grad and
 * records {@code BmmBackward0}; baddbmm adds the scaled input ({@code BaddbmmBackward0}); einsum is
 * PyTorch 1.13's algorithm (aten/src/ATen/native/Linear.cpp) written over differentiable ops:
 * parse the equation (ellipsis, implicit output), take diagonals for repeated subscripts, unsqueeze
 * and permute every operand to [output dims, contracted dims], then contract left to right with
 * {@code sumproduct_pair} (permute, reshape, bmm, view, permute), so that the result's grad_fn is
 * PyTorch's ({@code ViewBackward0}, {@code SumBackward1}, {@code MulBackward0}, {@code
 * PermuteBackward0}). Every back end, no new kernel. One departure: a repeated subscript's
 * diagonal is an index_select copy, where PyTorch takes a strided view (same values and
 * gradients; an in-place write into the input afterwards would not show in jnn's result).
 */
final class EinsumOps {
  private EinsumOps() {}

  // ------------------------------------------------------------------ bmm, baddbmm

  /** PyTorch's checks of {@code bmm}/{@code baddbmm} (common_checks_baddbmm_bmm), in its order. */
  private static void checkBmm(String op, Tensor b1, Tensor b2) {
    Checks.checkSameDevice(op, b1, b2);
    if (b1.dim() != 3) {
      throw new IllegalArgumentException("batch1 must be a 3D tensor");
    }
    if (b2.dim() != 3) {
      throw new IllegalArgumentException("batch2 must be a 3D tensor");
    }
    if (b2.size(0) != b1.size(0) || b2.size(1) != b1.size(2)) {
      throw new ShapeMismatchException(
          "Expected size for first two dimensions of batch2 tensor to be: [" + b1.size(0) + ", "
              + b1.size(2) + "] but got: [" + b2.size(0) + ", " + b2.size(1) + "].");
    }
    NnOpSupport.checkSameType(b1, b2);
  }

  /** {@code torch.bmm(b1, b2)}: [b, n, m] x [b, m, p] -> [b, n, p]. */
  static Tensor bmm(Tensor b1, Tensor b2) {
    checkBmm("bmm", b1, b2);
    Tensor out;
    try (var g = NoGrad.enter()) {
      out = b1.matmul(b2);
    }
    return Tensor.record("BmmBackward0", out, new Tensor[] {b1, b2}, new Tensor[] {b1, b2},
        g -> new Tensor[] {
            b1.requiresGrad() ? bmm(g[0], b2.transpose(1, 2)) : null,
            b2.requiresGrad() ? bmm(b1.transpose(1, 2), g[0]) : null
        });
  }

  /**
   * {@code torch.baddbmm(self, b1, b2, beta=beta, alpha=alpha)}: {@code beta * self + alpha *
   * bmm(b1, b2)}, {@code self} broadcast to the product's shape first (PyTorch 1.13 expands it
   * before checking the batches, so a bad {@code self} reports the expand). With {@code beta == 0}
   * {@code self} is ignored (NaN and inf in it do not propagate), as in PyTorch. A {@code self} of
   * another dtype is converted to the batches' dtype (1.13 accepts it).
   */
  static Tensor baddbmm(Tensor self, Tensor b1, Tensor b2, double beta, double alpha) {
    Checks.checkSameDevice("baddbmm", self, b1);
    Tensor se = self.expand(b1.size(0), b1.size(1), b2.size(2));
    checkBmm("baddbmm", b1, b2);
    Tensor out;
    try (var g = NoGrad.enter()) {
      Tensor p = b1.matmul(b2);
      if (alpha != 1) {
        p = p.mul(alpha);
      }
      if (beta == 0) {
        out = p;
      } else {
        Tensor s = se.dtype() == p.dtype() ? se : se.to(p.dtype());
        out = (beta == 1 ? s : s.mul(beta)).add(p);
      }
    }
    return Tensor.record("BaddbmmBackward0", out, new Tensor[] {self, b1, b2},
        new Tensor[] {b1, b2},
        g -> new Tensor[] {
            self.requiresGrad() ? gradTo(g[0].mul(beta), self) : null,
            b1.requiresGrad() ? bmm(g[0], b2.transpose(1, 2)).mul(alpha) : null,
            b2.requiresGrad() ? bmm(b1.transpose(1, 2), g[0]).mul(alpha) : null
        });
  }

  /** {@code g} summed to {@code x}'s (broadcast) shape, in {@code x}'s dtype. */
  private static Tensor gradTo(Tensor g, Tensor x) {
    Tensor r = Tensor.sumToShape(g, x.shape());
    return r.dtype() == x.dtype() ? r : r.to(x.dtype());
  }

  // ------------------------------------------------------------------ einsum

  private static final int LETTERS = 26;
  private static final int TOTAL_LABELS = 2 * LETTERS;
  private static final int ELLIPSIS = TOTAL_LABELS;

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static int subscript(char c) {
    return Character.isUpperCase(c) ? c - 'A' : c - 'a' + LETTERS;
  }

  private static char label(int s) {
    return (char) (s < LETTERS ? s + 'A' : s + 'a' - LETTERS);
  }

  private static IllegalArgumentException err(String msg) {
    return new IllegalArgumentException("einsum(): " + msg);
  }

  /** {@code torch.einsum(equation, *operands)}, PyTorch 1.13's algorithm and messages. */
  static Tensor einsum(String equation, Tensor... operands) {
    if (operands == null || operands.length == 0) {
      // torch.einsum's Python wrapper raises this ValueError before ATen's own check
      throw new IllegalArgumentException(
          "einsum(): must specify the equation string and at least one operand, or at least one"
              + " operand and its subscripts list");
    }
    int numOps = operands.length;
    for (int i = 1; i < numOps; i++) {
      Checks.checkSameDevice("einsum", operands[0], operands[i]);
    }
    int arrow = equation.indexOf("->");
    String lhs = arrow < 0 ? equation : equation.substring(0, arrow);

    // 1. parse the input subscripts
    List<List<Integer>> opLabels = new ArrayList<>();
    for (int i = 0; i < numOps; i++) {
      opLabels.add(new ArrayList<>());
    }
    boolean ellInInput = false;
    int curr = 0;
    for (int i = 0; i < lhs.length(); i++) {
      char c = lhs.charAt(i);
      switch (c) {
        case ' ':
          break;
        case '.':
          if (ellInInput) {
            throw err("found '.' for operand " + curr + " for which an ellipsis was already found");
          }
          if (!(i + 2 < lhs.length() && lhs.charAt(++i) == '.' && lhs.charAt(++i) == '.')) {
            throw err("found '.' for operand " + curr + " that is not part of any ellipsis");
          }
          opLabels.get(curr).add(ELLIPSIS);
          ellInInput = true;
          break;
        case ',':
          curr++;
          if (curr >= numOps) {
            throw err("fewer operands were provided than specified in the equation");
          }
          ellInInput = false;
          break;
        default:
          if (!isAlpha(c)) {
            throw err("invalid subscript given at index " + i
                + " in the equation string, subscripts must be in [a-zA-Z]");
          }
          opLabels.get(curr).add(subscript(c));
      }
    }
    if (curr != numOps - 1) {
      throw err("more operands were provided than specified in the equation");
    }

    long[] labelCount = new long[TOTAL_LABELS];
    int ellNumDim = 0;
    for (int i = 0; i < numOps; i++) {
      int ndims = operands[i].dim();
      int nlabels = opLabels.get(i).size();
      boolean hasEll = false;
      for (int l : opLabels.get(i)) {
        if (l == ELLIPSIS) {
          nlabels--;
          hasEll = true;
          ellNumDim = Math.max(ellNumDim, ndims - nlabels);
        } else {
          labelCount[l]++;
        }
      }
      if (hasEll ? nlabels > ndims : nlabels != ndims) {
        throw err("the number of subscripts in the equation (" + nlabels
            + (hasEll ? ") is more than the number of dimensions ("
                : ") does not match the number of dimensions (")
            + ndims + ") for operand " + i + (hasEll ? "" : " and no ellipsis was given"));
      }
    }

    // 2. the output: explicit after "->", else the ellipsis and the subscripts seen once
    int[] labelPerm = new int[TOTAL_LABELS];
    Arrays.fill(labelPerm, -1);
    int permIndex = 0;
    int ellIndex = 0;
    boolean ellInOutput = false;
    if (arrow < 0) {
      permIndex = ellNumDim;
      ellInOutput = true;
      for (int l = 0; l < TOTAL_LABELS; l++) {
        if (labelCount[l] == 1) {
          labelPerm[l] = permIndex++;
        }
      }
    } else {
      String rhs = equation.substring(arrow + 2);
      for (int i = 0; i < rhs.length(); i++) {
        char c = rhs.charAt(i);
        switch (c) {
          case ' ':
            break;
          case '.':
            if (ellInOutput) {
              throw err("found '.' for output but an ellipsis (...) was already found");
            }
            if (!(i + 2 < rhs.length() && rhs.charAt(++i) == '.' && rhs.charAt(++i) == '.')) {
              throw err("found '.' for output that is not part of any ellipsis (...)");
            }
            ellIndex = permIndex;
            permIndex += ellNumDim;
            ellInOutput = true;
            break;
          default:
            if (!isAlpha(c)) {
              throw err("invalid subscript given at index " + (lhs.length() + 2 + i)
                  + " in the equation string, subscripts must be in [a-zA-Z]");
            }
            int idx = subscript(c);
            if (!(labelCount[idx] > 0 && labelPerm[idx] == -1)) {
              throw err("output subscript " + c + (labelPerm[idx] > -1
                  ? " appears more than once in the output"
                  : " does not appear in the equation for any input operand"));
            }
            labelPerm[idx] = permIndex++;
        }
      }
    }
    int outNumDim = permIndex;
    if (!ellInOutput) {
      ellIndex = permIndex;
      permIndex += ellNumDim;
    }
    for (int l = 0; l < TOTAL_LABELS; l++) {
      if (labelCount[l] > 0 && labelPerm[l] == -1) {
        labelPerm[l] = permIndex++;
      }
    }

    // 3. sizes, diagonals, unsqueeze and permute every operand to the common layout
    long[] labelSize = new long[TOTAL_LABELS];
    Arrays.fill(labelSize, 1);
    long[] ellSizes = new long[ellNumDim];
    Arrays.fill(ellSizes, 1);
    int[] dimCounts = new int[permIndex];
    Deque<Tensor> ops = new ArrayDeque<>();
    for (int i = 0; i < numOps; i++) {
      Tensor op = operands[i];
      int[] permutation = new int[permIndex];
      Arrays.fill(permutation, -1);
      int dim = 0;
      for (int s : opLabels.get(i)) {
        if (s == ELLIPSIS) {
          int ndim = operands[i].dim() - (opLabels.get(i).size() - 1);
          for (int j = ellNumDim - ndim; j < ellNumDim; j++) {
            if (op.size(dim) != 1) {
              if (!(ellSizes[j] == 1 || ellSizes[j] == op.size(dim))) {
                throw new ShapeMismatchException("einsum(): dimension " + dim
                    + " covered by ellipsis in operand " + i + "has size " + op.size(dim)
                    + " which does not broadcast with previously seen ellipsis with size "
                    + ellSizes[j] + " for the respective dimension");
              }
              ellSizes[j] = op.size(dim);
              dimCounts[ellIndex + j]++;
            }
            permutation[ellIndex + j] = dim++;
          }
        } else if (permutation[labelPerm[s]] == -1) {
          if (op.size(dim) != 1) {
            if (!(labelSize[s] == 1 || labelSize[s] == op.size(dim))) {
              throw new ShapeMismatchException("einsum(): subscript " + label(s) + " has size "
                  + op.size(dim) + " for operand " + i
                  + " which does not broadcast with previously seen size " + labelSize[s]);
            }
            labelSize[s] = op.size(dim);
            dimCounts[labelPerm[s]]++;
          }
          permutation[labelPerm[s]] = dim++;
        } else {
          int prev = permutation[labelPerm[s]];
          if (op.size(dim) != op.size(prev)) {
            throw new ShapeMismatchException("einsum(): subscript " + label(s)
                + " is repeated for operand " + i + " but the sizes don't match, " + op.size(dim)
                + " != " + op.size(prev));
          }
          op = diagonalAt(op, prev, dim);
        }
      }
      for (int k = 0; k < permutation.length; k++) {
        if (permutation[k] == -1) {
          op = op.unsqueeze(dim);
          permutation[k] = dim++;
        }
      }
      ops.addLast(op.permute(permutation));
    }

    // 4. contract left to right (no path: torch.einsum without opt_einsum)
    while (ops.size() > 1) {
      Tensor a = ops.pollFirst();
      Tensor b = ops.pollFirst();
      List<Integer> sumDims = new ArrayList<>();
      List<Integer> aSum = new ArrayList<>();
      List<Integer> bSum = new ArrayList<>();
      for (int d = outNumDim; d < permIndex; d++) {
        if (a.size(d) != 1 && b.size(d) != 1) {
          if (--dimCounts[d] == 1) {
            sumDims.add(d);
            dimCounts[d] = 0;
          }
        } else if (dimCounts[d] == 1) {
          if (a.size(d) != 1) {
            aSum.add(d);
            dimCounts[d] = 0;
          } else if (b.size(d) != 1) {
            bSum.add(d);
            dimCounts[d] = 0;
          }
        }
      }
      if (!aSum.isEmpty()) {
        a = a.sum(ints(aSum), true);
      }
      if (!bSum.isEmpty()) {
        b = b.sum(ints(bSum), true);
      }
      ops.addFirst(sumProductPair(a, b, ints(sumDims)));
    }

    // 5. drop (one operand: sum out) the contracted dims
    Tensor r = ops.getFirst();
    if (permIndex - outNumDim > 0) {
      if (numOps > 1) {
        long[] sizes = Arrays.copyOf(r.shape().dims(), outNumDim);
        return r.view(sizes);
      }
      int[] sum = new int[permIndex - outNumDim];
      for (int k = 0; k < sum.length; k++) {
        sum[k] = outNumDim + k;
      }
      return r.sum(sum, false);
    }
    return r;
  }

  private static int[] ints(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * PyTorch's {@code op.diagonal(0, prev, dim).movedim(-1, prev)} for {@code prev < dim} of equal
   * size n: {@code dim} is removed and {@code prev} holds the diagonal. Here an index_select of
   * the flattened [n*n] pair at 0, n+1, 2(n+1), ... (a copy; PyTorch's is a view).
   */
  private static Tensor diagonalAt(Tensor op, int prev, int dim) {
    int r = op.dim();
    long n = op.size(prev);
    int[] perm = new int[r];
    int[] pos = new int[r]; // where each kept dim lands in the permuted tensor
    int k = 0;
    for (int i = 0; i < r; i++) {
      if (i != prev && i != dim) {
        pos[i] = k;
        perm[k++] = i;
      }
    }
    perm[r - 2] = prev;
    perm[r - 1] = dim;
    long[] flat = new long[r - 1];
    for (int i = 0; i < r - 2; i++) {
      flat[i] = op.size(perm[i]);
    }
    flat[r - 2] = n * n;
    Tensor idx = Tensor.arange(0, Math.max(n * n, 0), n + 1, DType.INT64).to(op.device());
    Tensor d = op.permute(perm).reshape(flat).indexSelect(r - 2, idx);
    pos[prev] = r - 2;
    int[] back = new int[r - 1];
    for (int i = 0, j = 0; i < r; i++) {
      if (i != dim) {
        back[j++] = pos[i];
      }
    }
    return d.permute(back);
  }

  /**
   * PyTorch's {@code sumproduct_pair(left, right, sum_dims, keepdim=true)}: {@code (left *
   * right).sum(sum_dims, keepdim=true)} as one bmm over [lro, lo, sum] x [lro, sum, ro].
   */
  private static Tensor sumProductPair(Tensor left, Tensor right, int[] sumDims) {
    if (sumDims.length == 0) {
      return left.mul(right);
    }
    int dim = left.dim();
    boolean[] isSum = new boolean[dim];
    for (int d : sumDims) {
      isSum[d] = true;
    }
    List<Integer> lro = new ArrayList<>();
    List<Integer> lo = new ArrayList<>();
    List<Integer> ro = new ArrayList<>();
    long lroSize = 1;
    long loSize = 1;
    long roSize = 1;
    long sumSize = 1;
    for (int i = 0; i < dim; i++) {
      boolean sl = left.size(i) != 1;
      boolean sr = right.size(i) != 1;
      if (isSum[i]) {
        if (sl && sr) {
          sumSize *= left.size(i);
        } else if (sl) {
          left = left.sum(new int[] {i}, true);
        } else if (sr) {
          right = right.sum(new int[] {i}, true);
        }
      } else if (sl && sr) {
        lro.add(i);
        lroSize *= left.size(i);
      } else if (sl) {
        lo.add(i);
        loSize *= left.size(i);
      } else {
        ro.add(i);
        roSize *= right.size(i);
      }
    }
    long[] outSize = new long[lro.size() + lo.size() + sumDims.length + ro.size()];
    int k = 0;
    for (int d : lro) {
      outSize[k++] = left.size(d);
    }
    for (int d : lo) {
      outSize[k++] = left.size(d);
    }
    for (int ignored : sumDims) {
      outSize[k++] = 1;
    }
    for (int d : ro) {
      outSize[k++] = right.size(d);
    }
    List<Integer> lperm = new ArrayList<>(lro);
    lperm.addAll(lo);
    for (int d : sumDims) {
      lperm.add(d);
    }
    lperm.addAll(ro);
    List<Integer> rperm = new ArrayList<>(lro);
    for (int d : sumDims) {
      rperm.add(d);
    }
    rperm.addAll(ro);
    rperm.addAll(lo);
    int[] operm = new int[outSize.length];
    int i = 0;
    for (int d : lro) {
      operm[d] = i++;
    }
    for (int d : lo) {
      operm[d] = i++;
    }
    for (int d : sumDims) {
      operm[d] = i++;
    }
    for (int d : ro) {
      operm[d] = i++;
    }
    Tensor l = left.permute(ints(lperm)).reshape(lroSize, loSize, sumSize);
    Tensor r = right.permute(ints(rperm)).reshape(lroSize, sumSize, roSize);
    return bmm(l, r).view(outSize).permute(operm);
  }
}
