package io.treeprop.jobs.config;

import static io.treeprop.jobs.config.ConfigErrors.describe;
import static io.treeprop.jobs.config.ConfigErrors.where;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One object of a parsed config, read strictly: a key that is not in the allowed list is an error as soon as the
 * node is made, and every getter names the full key path, the value it got and what it expected. A key set to
 * {@code null} counts as absent (so {@code --set data.test=null} removes an optional part).
 *
 * <p>A quoted number (as substitutions of environment variables produce) is a number, as in Typesafe Config and
 * in core's JSON reading; any scalar is a string; booleans are {@code true} and {@code false} only.
 */
final class Node {
  private final String path;
  private final ConfigObject object;

  private Node(String path, ConfigObject object, List<String> allowed) {
    this.path = path;
    this.object = object;
    for (String key : object.keySet()) {
      if (!allowed.contains(key)) {
        String full = ConfigErrors.join(path, key);
        throw new IllegalArgumentException(ConfigErrors.unknownKey(full, key, allowed)
            + where(object.get(key).origin()));
      }
    }
  }

  /** The node for a config's root object. */
  static Node root(ConfigObject root, List<String> allowed) {
    return new Node("", root, allowed);
  }

  /** The full path of one of this node's keys. */
  String path(String key) {
    return ConfigErrors.join(path, key);
  }

  /** Whether {@code key} is set to something other than null. */
  boolean has(String key) {
    return value(key) != null;
  }

  /** The value of {@code key}, or null when it is absent or null. */
  ConfigValue value(String key) {
    ConfigValue v = object.get(key);
    return v == null || v.valueType() == ConfigValueType.NULL ? null : v;
  }

  /** An error about {@code key}: {@code <path.key>: <problem> (at file line n)}. */
  IllegalArgumentException error(String key, String problem) {
    ConfigValue v = object.get(key);
    return new IllegalArgumentException(path(key) + ": " + problem + where(v != null ? v.origin() : object.origin()));
  }

  /** {@code missing required key <path.key>: <hint>}. */
  IllegalArgumentException missing(String key, String hint) {
    return new IllegalArgumentException("missing required key " + path(key) + ": " + hint + where(object.origin()));
  }

  /** {@code <path.key>: expected <expected>, got <value>}. */
  IllegalArgumentException wrongType(String key, String expected) {
    return error(key, "expected " + expected + ", got " + describe(value(key)));
  }

  /** The object under {@code key}, which must be present. */
  Node object(String key, List<String> allowed, String hint) {
    if (!has(key)) {
      throw missing(key, hint);
    }
    return optObject(key, allowed);
  }

  /** The object under {@code key}, or null when absent. */
  Node optObject(String key, List<String> allowed) {
    ConfigValue v = value(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof ConfigObject o)) {
      throw wrongType(key, "an object {" + String.join(", ", allowed) + "}");
    }
    return new Node(path(key), o, allowed);
  }

  /** A required string. */
  String string(String key, String hint) {
    if (!has(key)) {
      throw missing(key, hint);
    }
    return optString(key);
  }

  /** A string, or null when absent; numbers and booleans are taken as written. */
  String optString(String key) {
    ConfigValue v = value(key);
    if (v == null) {
      return null;
    }
    if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
      throw wrongType(key, "a string");
    }
    return String.valueOf(v.unwrapped());
  }

  /** An integer in the int range, or {@code fallback} when absent. */
  int optInt(String key, int fallback) {
    long v = optLong(key, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw error(key, "expected an integer of at most " + Integer.MAX_VALUE + ", got " + v);
    }
    return (int) v;
  }

  /** An integer, or {@code fallback} when absent. A fractional number is an error, not rounded. */
  long optLong(String key, long fallback) {
    ConfigValue v = value(key);
    if (v == null) {
      return fallback;
    }
    Object u = v.unwrapped();
    if (u instanceof Integer || u instanceof Long) {
      return ((Number) u).longValue();
    }
    if (u instanceof String s) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        throw wrongType(key, "an integer");
      }
    }
    throw wrongType(key, "an integer");
  }

  /** A number, or {@code fallback} when absent. */
  double optDouble(String key, double fallback) {
    ConfigValue v = value(key);
    if (v == null) {
      return fallback;
    }
    Object u = v.unwrapped();
    if (u instanceof Number n) {
      return n.doubleValue();
    }
    if (u instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        throw wrongType(key, "a number");
      }
    }
    throw wrongType(key, "a number");
  }

  /** A number read as float32, or {@code fallback} when absent. */
  float optFloat(String key, float fallback) {
    return (float) optDouble(key, fallback);
  }

  /** {@code true} or {@code false} (also quoted), or {@code fallback} when absent. */
  boolean optBoolean(String key, boolean fallback) {
    ConfigValue v = value(key);
    if (v == null) {
      return fallback;
    }
    Object u = v.unwrapped();
    if (u instanceof Boolean b) {
      return b;
    }
    if (u instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw wrongType(key, "true or false");
  }

  /** A list of strings, or null when absent. */
  List<String> optStringList(String key) {
    ConfigValue v = value(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof ConfigList list)) {
      throw wrongType(key, "a list of strings, e.g. [a, b]");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      ConfigValue e = list.get(i);
      if (e.valueType() == ConfigValueType.OBJECT || e.valueType() == ConfigValueType.LIST
          || e.valueType() == ConfigValueType.NULL) {
        throw error(key, "element " + i + " is " + describe(e) + "; expected a list of strings");
      }
      out.add(String.valueOf(e.unwrapped()));
    }
    return out;
  }

  /** A list of integers, or null when absent. */
  List<Integer> optIntList(String key, String hint) {
    ConfigValue v = value(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof ConfigList list)) {
      throw wrongType(key, hint);
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object u = list.get(i).unwrapped();
      if (!(u instanceof Integer n)) {
        throw error(key, "element " + i + " is " + describe(list.get(i)) + "; expected " + hint);
      }
      out.add(n);
    }
    return out;
  }

  /**
   * An object of scalar settings flattened to dotted keys, so that {@code conf { spark.executor.memory = 4g }} and
   * {@code conf { "spark.executor.memory" = 4g }} both give {@code spark.executor.memory -> 4g}; empty when absent.
   */
  Map<String, String> optFlatMap(String key) {
    ConfigValue v = value(key);
    Map<String, String> out = new TreeMap<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof ConfigObject o)) {
      throw wrongType(key, "an object of settings, e.g. {\"spark.executor.memory\": 4g}");
    }
    for (Map.Entry<String, ConfigValue> e : o.toConfig().entrySet()) {
      String flat = String.join(".", ConfigUtil.splitPath(e.getKey()));
      ConfigValue s = e.getValue();
      if (s.valueType() == ConfigValueType.LIST) {
        throw new IllegalArgumentException(path(key) + "." + flat + ": expected a string, number or boolean, got "
            + describe(s) + where(s.origin()));
      }
      out.put(flat, String.valueOf(s.unwrapped()));
    }
    return out;
  }

  /**
   * Runs a record constructor that validates its arguments, re-wording its {@link IllegalArgumentException} in
   * terms of this node's path: "adam.learningRate (-1.0) must be ..." becomes "training.optimizer.learningRate
   * (-1.0) must be ..." when {@code adam} is one of {@code aliases}.
   */
  <T> T build(Supplier<T> constructor, String... aliases) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      // the root's origin (line 1) would point nowhere useful for a cross-section rule
      String origin = path.isEmpty() ? "" : where(object.origin());
      throw new IllegalArgumentException(ConfigErrors.rewrite(path, List.of(aliases), e.getMessage()) + origin, e);
    }
  }
}
