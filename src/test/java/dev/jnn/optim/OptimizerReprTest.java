package dev.jnn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.nn.Parameter;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code repr(optimizer)} of every jnn optimizer, with default and non-default options and two
 * parameter groups, against torch 1.13's (case {@code optimizer_repr} of {@code
 * scripts/golden/api_parity.py}).
 */
class OptimizerReprTest {
  private static final Golden.Case G = Golden.loadByName("api_parity.txt").get("optimizer_repr");

  private static Parameter p(long n) {
    return new Parameter(Tensor.zeros(n));
  }

  @Test
  void sgd() {
    assertEquals(G.text("sgd"), new SGD(List.of(p(2)), 0.1).toString());
    assertEquals(G.text("sgd_options"),
        new SGD(List.of(p(2)), 0.05, 0.9, 0.1, 1e-4, false, true).toString());
    assertEquals(G.text("sgd_nesterov"),
        new SGD(List.of(p(2)), 1.0, 0.5, 0, 0, true, false).toString());
    SGD two = new SGD(List.of(p(2)), 0.1, 0, 0, 5e-4, false, false);
    two.addParamGroup(List.of(p(3)), Map.of("lr", 0.01, "momentum", 0.9));
    assertEquals(G.text("sgd_groups"), two.toString());
  }

  @Test
  void adam() {
    assertEquals(G.text("adam"), new Adam(List.of(p(2)), 0.001).toString());
    assertEquals(G.text("adam_options"),
        new Adam(List.of(p(2)), 3e-4, 0.8, 0.95, 1e-6, 0.01, true, true).toString());
    Adam two = new Adam(List.of(p(2)), 0.002);
    two.addParamGroup(List.of(p(3)), Map.of("lr", 1e-5, "betas", List.of(0.5, 0.9)));
    assertEquals(G.text("adam_groups"), two.toString());
  }

  @Test
  void adamW() {
    assertEquals(G.text("adamw"), new AdamW(List.of(p(2)), 0.001).toString());
    assertEquals(G.text("adamw_options"),
        new AdamW(List.of(p(2)), 0.1, 0.9, 0.99, 1e-7, 0.05, true, false).toString());
    AdamW two = new AdamW(List.of(p(2)), 0.001);
    two.addParamGroup(List.of(p(3)), Map.of("weight_decay", 0.0));
    assertEquals(G.text("adamw_groups"), two.toString());
  }

  @Test
  void rmsprop() {
    assertEquals(G.text("rmsprop"), new RMSprop(List.of(p(2)), 0.01).toString());
    assertEquals(G.text("rmsprop_options"),
        new RMSprop(List.of(p(2)), 0.001, 0.9, 1e-6, 0.1, 0.5, true, false).toString());
    RMSprop two = new RMSprop(List.of(p(2)), 0.01, 0.99, 1e-8, 0, 0.9, false, false);
    two.addParamGroup(List.of(p(3)), Map.of("lr", 0.1, "alpha", 0.95));
    assertEquals(G.text("rmsprop_groups"), two.toString());
  }

  @Test
  void reprOnlyKeysStayOutOfTheGroupsAndTheStateDict() {
    SGD sgd = new SGD(List.of(p(2)), 0.1);
    sgd.toString();
    assertEquals(List.of("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"),
        List.copyOf(sgd.paramGroups().get(0).options().keySet()));
  }
}
