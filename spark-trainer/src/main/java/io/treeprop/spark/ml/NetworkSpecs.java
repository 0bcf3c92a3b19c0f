package io.treeprop.spark.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.tensor.Shape;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code networkSpec} and {@code inputShape} params as a core {@link NetworkSpec}, checked in two places:
 *
 * <ul>
 *   <li>when a value is set ({@link #validOnSet}, the param's validator, which Spark runs for setters, {@code
 *       ParamMap}s such as {@code ParamGridBuilder}'s grids, {@code copy} and loading): malformed JSON, unknown
 *       keys and bad values; and, when the spec has its own {@code input}, every layer's shape;
 *   <li>when the params meet the data ({@link #check} from {@code transformSchema}, {@link #network} from {@code
 *       fit}): the spec's input against {@code inputShape}, both against the features column's vector size.
 * </ul>
 *
 * A spec may leave {@code input} out: it then takes {@code inputShape}, or else a vector of the data's size.
 */
final class NetworkSpecs {
  /** Stands in for a missing {@code input} so the layers can be parsed; never compiled. */
  private static final int PLACEHOLDER_INPUT = 1;

  private NetworkSpecs() {}

  /**
   * The validator of {@code networkSpec}: true for a blank value or a spec that parses (and compiles, when it has
   * an input). Spark's own message for a false validator names the param and the value but not the rule, so a bad
   * spec throws here instead, naming the param and what is wrong.
   *
   * @throws IllegalArgumentException naming {@code networkSpec} and the problem
   */
  static boolean validOnSet(String json) {
    if (json == null) {
      throw new IllegalArgumentException("networkSpec is null; use \"\" for none");
    }
    if (json.isBlank()) {
      return true;
    }
    Parsed p = parse(json);
    if (p.input != null) {
      compile(p.spec, "networkSpec", -1);
    }
    return true;
  }

  /** The {@code inputShape} param as a shape, or null when empty. */
  static Shape inputShape(NeuralNetParams p) {
    int[] s = p.getInputShape();
    return s.length == 0 ? null : Shape.image(s[0], s[1], s[2]);
  }

  /**
   * Checks the params against the features column of {@code schema} as far as the schema tells (its vector size
   * is known when it carries an {@code ml_attr} attribute group, as {@code VectorAssembler}'s output does).
   */
  static void check(NeuralNetParams p, StructType schema, String featuresCol) {
    input(p, Columns.vectorSize(schema, featuresCol), featuresCol);
  }

  /**
   * The input shape for data whose features column holds vectors of {@code features} numbers ({@code -1}:
   * unknown): the spec's own input, {@code inputShape}, or a vector of {@code features}; with {@code networkSpec}
   * set, the spec is compiled on it. Returns null when {@code features} is unknown and nothing else gives it.
   *
   * @throws IllegalArgumentException when the spec's input and {@code inputShape} differ, the shape does not hold
   *     {@code features} numbers, or the layers do not fit the shape
   */
  static Shape input(NeuralNetParams p, int features, String featuresCol) {
    Shape shape = inputShape(p);
    Parsed parsed = p.getNetworkSpec().isBlank() ? null : parse(p.getNetworkSpec());
    if (parsed != null && parsed.input != null && shape != null && !parsed.input.equals(shape)) {
      throw new IllegalArgumentException("networkSpec's input " + parsed.input + " and inputShape " + shape
          + " differ; give the shape once: leave input out of the spec or leave inputShape unset");
    }
    Shape in = parsed != null && parsed.input != null ? parsed.input : shape;
    if (in != null && features >= 0 && in.size() != features) {
      String source = shape != null ? "inputShape " + shape : "networkSpec's input " + in;
      throw new IllegalArgumentException("the features column \"" + featuresCol + "\" holds vectors of " + features
          + " numbers; " + source + " takes " + in.size() + (in.isImage() ? " (channels × height × width)" : ""));
    }
    if (in == null && features >= 0) {
      in = Shape.vector(features);
    }
    if (in != null && parsed != null) {
      compile(new NetworkSpec(in, parsed.spec.layers()), "networkSpec", in == shape || parsed.input != null
          ? -1 : features);
    }
    return in;
  }

  /**
   * The user's network for data of {@code features} numbers per row, or null when {@code networkSpec} is blank.
   *
   * @throws IllegalArgumentException as {@link #input}
   */
  static NetworkSpec network(NeuralNetParams p, int features, String featuresCol) {
    Shape in = input(p, features, featuresCol);
    if (p.getNetworkSpec().isBlank()) {
      return null;
    }
    return new NetworkSpec(in, parse(p.getNetworkSpec()).spec.layers());
  }

  /** A spec as parsed; {@code input} null when the JSON has none (then {@code spec} has a placeholder input). */
  private record Parsed(Shape input, NetworkSpec spec) {}

  private static Parsed parse(String json) {
    JsonNode tree = Json.read(json, JsonNode.class, "networkSpec");
    if (!(tree instanceof ObjectNode obj)) {
      throw new IllegalArgumentException("invalid networkSpec: expected a JSON object such as {\"input\": [1, 28, "
          + "28], \"layers\": [...]}, got " + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    boolean hasInput = obj.has("input") && !obj.get("input").isNull();
    ObjectNode full = obj.deepCopy();
    if (!hasInput) {
      full.putArray("input").add(PLACEHOLDER_INPUT);
    }
    NetworkSpec spec;
    try {
      spec = Json.mapper().treeToValue(full, NetworkSpec.class);
    } catch (JsonProcessingException e) {
      throw Json.explain(e, "networkSpec");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid networkSpec: " + e.getMessage(), e);
    }
    return new Parsed(hasInput ? spec.input() : null, spec);
  }

  /**
   * Compiles {@code spec} for its shape errors; {@code vectorOf >= 0} says the input is the data's vector size,
   * not a shape the user gave, so an image layer on it gets a hint.
   */
  private static void compile(NetworkSpec spec, String param, int vectorOf) {
    try {
      spec.compile();
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      String msg = param + ": " + (m.startsWith("network.") ? m.substring("network.".length()) : m);
      if (vectorOf >= 0 && !spec.layers().stream().allMatch(NetworkSpecs::takesVectors)) {
        msg += "; the features are vectors of " + vectorOf + " numbers, not images: set inputShape = [channels, "
            + "height, width]";
      }
      throw new IllegalArgumentException(msg, e);
    }
  }

  private static boolean takesVectors(LayerSpec l) {
    return l instanceof LayerSpec.Dense || l instanceof LayerSpec.Activation || l instanceof LayerSpec.Dropout
        || l instanceof LayerSpec.Noise;
  }
}
