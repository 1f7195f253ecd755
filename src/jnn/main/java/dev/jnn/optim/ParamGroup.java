package dev.jnn.optim;

import dev.jnn.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parameter group of an optimizer: its parameters and its hyper-parameters ({@code lr},
 * {@code momentum}, ...), as in PyTorch's {@code optimizer.param_groups[i]}.
 */
public final class ParamGroup {
  private final List<Parameter> params;
  private final Map<String, Object> options = new LinkedHashMap<>();

  /** A group of parameters with options (missing options are filled from the defaults). */
  public ParamGroup(List<? extends Parameter> params, Map<String, Object> options) {
    this.params = Collections.unmodifiableList(new ArrayList<>(params));
    this.options.putAll(options);
  }

  /** The parameters, in order. */
  public List<Parameter> params() {
    return params;
  }

  /** The mutable option map ({@code group['lr'] = 0.1} is {@code group.set("lr", 0.1)}). */
  public Map<String, Object> options() {
    return options;
  }

  /** The learning rate. */
  public double lr() {
    return getDouble("lr");
  }

  /** Sets the learning rate. */
  public void setLr(double lr) {
    options.put("lr", lr);
  }

  /** A numeric option. */
  public double getDouble(String key) {
    Object v = options.get(key);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("param group has no numeric option '" + key + "' (got " + v + ")");
    }
    return n.doubleValue();
  }

  /** A boolean option. */
  public boolean getBoolean(String key) {
    Object v = options.get(key);
    if (!(v instanceof Boolean b)) {
      throw new IllegalArgumentException("param group has no boolean option '" + key + "' (got " + v + ")");
    }
    return b;
  }

  /** Sets an option. */
  public void set(String key, Object value) {
    options.put(key, value);
  }
}
