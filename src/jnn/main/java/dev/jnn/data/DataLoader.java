package dev.jnn.data;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Batches a dataset of tensor tuples ({@code torch.utils.data.DataLoader}): batch size, seeded
 * shuffling (a new permutation per epoch), drop-last, and background prefetching on worker
 * threads. Batches are collated by stacking along a new first dim.
 *
 * <p>With {@link Builder#reuseBuffers(boolean)} (default on) the batch tensors come from a small
 * ring of buffers reused across iterations, so steady-state training allocates no new batch
 * arrays: a batch stays valid until two further batches have been taken. Copy
 * (or {@code clone()}) a batch to keep it longer, or turn reuse off. Iterate one epoch at a time
 * when reusing buffers.
 */
public final class DataLoader implements Iterable<Tensor[]> {
  private final Dataset<Tensor[]> dataset;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final int numWorkers;
  private final int prefetch;
  private final boolean reuseBuffers;
  private final long seed;
  private int epoch;
  private ExecutorService workers;
  private final List<Tensor[]> ring = new ArrayList<>(); // reused batch buffers, shared by epochs

  private DataLoader(Builder b) {
    this.dataset = b.dataset;
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.dropLast = b.dropLast;
    this.numWorkers = b.numWorkers;
    this.prefetch = b.prefetch;
    this.reuseBuffers = b.reuseBuffers;
    this.seed = b.seed;
  }

  /** A builder over {@code dataset}. */
  public static Builder builder(Dataset<Tensor[]> dataset) {
    return new Builder(dataset);
  }

  /** Options, named as PyTorch's keyword arguments. */
  public static final class Builder {
    private final Dataset<Tensor[]> dataset;
    private int batchSize = 1;
    private boolean shuffle;
    private boolean dropLast;
    private int numWorkers = 1;
    private int prefetch = 2;
    private boolean reuseBuffers = true;
    private long seed = 0;

    private Builder(Dataset<Tensor[]> dataset) {
      this.dataset = dataset;
    }

    /** Items per batch (default 1). */
    public Builder batchSize(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + n);
      }
      this.batchSize = n;
      return this;
    }

    /** Reshuffle every epoch (default false). */
    public Builder shuffle(boolean s) {
      this.shuffle = s;
      return this;
    }

    /** Drop the last incomplete batch (default false). */
    public Builder dropLast(boolean d) {
      this.dropLast = d;
      return this;
    }

    /** Background threads collating batches (0 = on the caller's thread; default 1). */
    public Builder numWorkers(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.");
      }
      this.numWorkers = n;
      return this;
    }

    /** Batches prepared ahead per iterator (default 2). */
    public Builder prefetch(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("prefetch must be at least 1, got " + n);
      }
      this.prefetch = n;
      return this;
    }

    /** Reuse a ring of batch buffers (default true). */
    public Builder reuseBuffers(boolean r) {
      this.reuseBuffers = r;
      return this;
    }

    /** Seed of the shuffling permutations (epoch {@code e} uses {@code seed + e}). */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Builds the loader; fails on an empty dataset. */
    public DataLoader build() {
      if (dataset == null || dataset.size() == 0) {
        throw new IllegalArgumentException("DataLoader: the dataset is empty");
      }
      return new DataLoader(this);
    }
  }

  /** Number of batches per epoch ({@code len(loader)}). */
  public int size() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** The dataset. */
  public Dataset<Tensor[]> dataset() {
    return dataset;
  }

  /** The batch size. */
  public int batchSize() {
    return batchSize;
  }

  private synchronized ExecutorService workers() {
    if (numWorkers == 0) {
      return null;
    }
    if (workers == null) {
      workers = Executors.newFixedThreadPool(numWorkers, r -> {
        Thread t = new Thread(r, "jnn-dataloader");
        t.setDaemon(true);
        return t;
      });
    }
    return workers;
  }

  /** An iterator over one epoch; each call starts a new epoch (new permutation when shuffling). */
  @Override
  public Iterator<Tensor[]> iterator() {
    int[] order = new int[dataset.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom r = new SplittableRandom(seed + epoch);
      for (int i = order.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    epoch++;
    return new BatchIterator(order);
  }

  private final class BatchIterator implements Iterator<Tensor[]> {
    private final int[] order;
    private final int batches = size();
    private final Deque<Future<Tensor[]>> pending = new ArrayDeque<>();
    private final ExecutorService pool = workers();
    private int submitted;
    private int taken;

    BatchIterator(int[] order) {
      this.order = order;
      fill();
    }

    private void fill() {
      while (submitted < batches && pending.size() < (pool == null ? 1 : prefetch)) {
        final int b = submitted++;
        if (pool == null) {
          pending.add(java.util.concurrent.CompletableFuture.completedFuture(collate(b)));
        } else {
          pending.add(pool.submit(() -> collate(b)));
        }
      }
    }

    private Tensor[] collate(int b) {
      int start = b * batchSize;
      int n = Math.min(batchSize, order.length - start);
      try (var g = NoGrad.enter()) {
        Tensor[] first = dataset.get(order[start]);
        Tensor[] out = buffersFor(b, first, n);
        for (int i = 0; i < n; i++) {
          Tensor[] item = i == 0 ? first : dataset.get(order[start + i]);
          if (item.length != out.length) {
            throw new IllegalStateException("dataset item " + order[start + i] + " has "
                + item.length + " tensors, expected " + out.length);
          }
          for (int k = 0; k < out.length; k++) {
            if (!item[k].shape().equals(first[k].shape())) {
              throw new IllegalStateException("stack expects each tensor to be equal size, but got "
                  + first[k].shape() + " at entry 0 and " + item[k].shape() + " at entry " + i);
            }
            out[k].select(0, i).copyFrom(item[k]);
          }
        }
        return out;
      }
    }

    private Tensor[] buffersFor(int b, Tensor[] first, int n) {
      int slots = prefetch + 2;
      if (reuseBuffers && n == batchSize) {
        synchronized (ring) {
          int slot = b % slots;
          while (ring.size() <= slot) {
            ring.add(null);
          }
          Tensor[] r = ring.get(slot);
          if (r == null) {
            r = newBatch(first, n);
            ring.set(slot, r);
          }
          return r;
        }
      }
      return newBatch(first, n);
    }

    private Tensor[] newBatch(Tensor[] first, int n) {
      Tensor[] out = new Tensor[first.length];
      for (int k = 0; k < first.length; k++) {
        long[] d = first[k].shape().dims();
        long[] bd = new long[d.length + 1];
        bd[0] = n;
        System.arraycopy(d, 0, bd, 1, d.length);
        out[k] = Tensor.zeros(Shape.of(bd), first[k].dtype(), first[k].device());
      }
      return out;
    }

    @Override
    public boolean hasNext() {
      return taken < batches;
    }

    @Override
    public Tensor[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Future<Tensor[]> f = pending.poll();
      try {
        Tensor[] r = f.get();
        taken++;
        fill();
        return r;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("DataLoader interrupted", e);
      } catch (ExecutionException e) {
        for (Future<Tensor[]> p : pending) {
          p.cancel(true);
        }
        pending.clear();
        taken = batches;
        Throwable c = e.getCause();
        if (c instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException("DataLoader worker failed: " + c, c);
      }
    }
  }
}
