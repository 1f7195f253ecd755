package dev.jnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The ordered hook table behind every Module hook kind: order, flags, removal, snapshots. */
class HookTableTest {

  private static List<String> hooks(HookTable<String> t) {
    return t.hooks();
  }

  @Test
  void appendsInOrderAndPrependGoesBeforeEverything() {
    HookTable<String> t = new HookTable<>();
    t.add("a");
    t.add("b");
    t.add("c", true); // before a
    t.add("d");
    t.add("e", true); // before c
    assertEquals(List.of("e", "c", "a", "b", "d"), hooks(t));
    List<Boolean> prepended = new ArrayList<>();
    for (HookTable.Entry<String> e : t.entries()) {
      prepended.add(e.prepend());
    }
    assertEquals(List.of(true, true, false, false, false), prepended);
    assertEquals(5, t.size());
  }

  @Test
  void handlesHaveUniqueIdsAndRemoveTheirOwnEntry() {
    HookTable<String> t = new HookTable<>();
    HookHandle a = t.add("a");
    HookHandle b = t.add("b");
    HookHandle c = t.add("c");
    assertNotEquals(a.id(), b.id());
    assertNotEquals(b.id(), c.id());
    b.remove();
    assertEquals(List.of("a", "c"), hooks(t));
    assertFalse(t.contains(b.id()));
    assertTrue(t.contains(a.id()));
    // the same hook object registered twice is two entries, removed one at a time
    HookHandle a2 = t.add("a");
    a.remove();
    assertEquals(List.of("c", "a"), hooks(t));
    assertTrue(t.contains(a2.id()));
  }

  @Test
  void removalIsIdempotent() {
    HookTable<String> t = new HookTable<>();
    HookHandle h = t.add("a");
    t.add("b");
    h.remove();
    h.remove();
    h.close();
    assertEquals(List.of("b"), hooks(t));
    assertFalse(t.remove(h.id()));
    try (HookHandle tmp = t.add("tmp", true)) {
      assertEquals(List.of("tmp", "b"), hooks(t));
    }
    assertEquals(List.of("b"), hooks(t));
  }

  @Test
  void removalDuringIterationLeavesTheSnapshotIntact() {
    HookTable<Runnable> t = new HookTable<>();
    List<String> log = new ArrayList<>();
    HookHandle[] handles = new HookHandle[3];
    handles[0] =
        t.add(
            () -> {
              log.add("first removes itself and the third");
              handles[0].remove();
              handles[2].remove();
            });
    handles[1] = t.add(() -> log.add("second adds a hook"));
    handles[2] = t.add(() -> log.add("third"));
    for (HookTable.Entry<Runnable> e : t.entries()) {
      e.hook().run();
      if (e.id() == handles[1].id()) {
        t.add(() -> log.add("added while firing"), true);
      }
    }
    // the firing ran the snapshot taken before it: all three, not the added one
    assertEquals(
        List.of("first removes itself and the third", "second adds a hook", "third"), log);
    assertEquals(2, t.size());
    log.clear();
    for (Runnable r : t.hooks()) {
      r.run();
    }
    assertEquals(List.of("added while firing", "second adds a hook"), log);
  }

  @Test
  void flagsStayWithTheirEntry() {
    HookTable<String> t = new HookTable<>();
    HookHandle plain = t.add("plain");
    HookHandle always = t.add("always", false, true, false);
    HookHandle kwargs = t.add("kwargs", true, false, true);
    HookHandle both = t.add("both", false, true, true);
    plain.remove();
    t.add("later", true);
    Map<Long, Boolean> alwaysCalled = t.flagged(HookTable.Entry::alwaysCall);
    Map<Long, Boolean> withKwargs = t.flagged(HookTable.Entry::withKwargs);
    assertEquals(List.of(always.id(), both.id()), new ArrayList<>(alwaysCalled.keySet()));
    assertEquals(List.of(kwargs.id(), both.id()), new ArrayList<>(withKwargs.keySet()));
    for (HookTable.Entry<String> e : t.entries()) {
      assertEquals(e.hook().equals("always") || e.hook().equals("both"), e.alwaysCall());
      assertEquals(e.hook().equals("kwargs") || e.hook().equals("both"), e.withKwargs());
    }
    always.remove();
    assertEquals(
        List.of(both.id()), new ArrayList<>(t.flagged(HookTable.Entry::alwaysCall).keySet()));
  }

  @Test
  void alwaysCallForwardHookStillRunsWhenForwardThrows() {
    Module m =
        new Module() {
          @Override
          public Tensor forward(Tensor x) {
            throw new IllegalStateException("boom");
          }
        };
    List<String> log = new ArrayList<>();
    m.registerForwardHook(
        (mod, a, o) -> {
          log.add("plain");
          return null;
        });
    m.registerForwardHook(
        (mod, a, o) -> {
          log.add("always");
          return null;
        },
        true,
        true);
    assertThrows(IllegalStateException.class, () -> m.call(Tensor.ones(1)));
    assertEquals(List.of("always"), log);
    assertEquals(1, m.forwardHooksAlwaysCalledTable().size());
  }

  @Test
  void nullHookIsRefused() {
    HookTable<String> t = new HookTable<>();
    NullPointerException e = assertThrows(NullPointerException.class, () -> t.add(null));
    assertEquals("hook", e.getMessage());
    assertTrue(t.isEmpty());
  }

  @Test
  void concurrentAddsAndRemovesLoseNothing() throws InterruptedException {
    HookTable<Integer> t = new HookTable<>();
    int threads = 4;
    int perThread = 500;
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger lost = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  HookHandle keep = t.add(i);
                  HookHandle drop = t.add(-i, i % 2 == 0);
                  drop.remove();
                  if (!t.contains(keep.id())) {
                    lost.incrementAndGet();
                  }
                }
              });
      workers.add(w);
      w.start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    assertEquals(0, lost.get());
    assertEquals(threads * perThread, t.size());
  }
}
