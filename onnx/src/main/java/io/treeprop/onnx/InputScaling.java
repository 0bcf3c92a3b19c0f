package io.treeprop.onnx;

import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The feature scaling a model applies to raw features before its first layer, written as the graph's first nodes so
 * the ONNX model takes raw features. Read from the entry the jobs store in a model's metadata (README, "Model
 * files"):
 *
 * <pre>
 * absent or {"type": "none"}                              x
 * {"type": "factor", "factor": f}                         Mul(x, f)
 * {"type": "standardize", "mean": [...], "stddev": [...]} Div(Sub(x, mean), stddev)    per feature
 * </pre>
 *
 * The jobs compute the scaling in double precision and round the result to float; the graph computes in float, a
 * difference of about one float rounding of the scaled value.
 */
public sealed interface InputScaling {
  /** The key of the scaling in a model's metadata. */
  String METADATA_KEY = "scaling";

  /** Writes the scaling of {@code x: [batch, features]}. */
  ONNXRef<?> write(ONNXContext ctx, ONNXRef<?> x);

  /** Checks that the scaling fits {@code features} inputs. */
  default void check(int features) {}

  /** No scaling. */
  record None() implements InputScaling {
    @Override
    public ONNXRef<?> write(ONNXContext ctx, ONNXRef<?> x) {
      return x;
    }
  }

  /** Every feature times {@code factor}. */
  record Factor(double factor) implements InputScaling {
    @Override
    public ONNXRef<?> write(ONNXContext ctx, ONNXRef<?> x) {
      return ctx.operation(Ops.MUL, List.of(x, ctx.constant("scaling/factor", (float) factor)), "scaling/scaled",
          Map.of());
    }
  }

  /** {@code (x − mean) / stddev} per feature. */
  record Standardize(double[] mean, double[] stddev) implements InputScaling {
    public Standardize {
      if (mean.length != stddev.length) {
        throw new IllegalArgumentException("scaling: " + mean.length + " means but " + stddev.length + " stddevs; "
            + "standardize needs one of each per feature");
      }
      mean = mean.clone();
      stddev = stddev.clone();
    }

    @Override
    public void check(int features) {
      if (mean.length != features) {
        throw new IllegalArgumentException("scaling: the standardization was fitted on " + mean.length
            + " features but the network takes " + features);
      }
    }

    @Override
    public ONNXRef<?> write(ONNXContext ctx, ONNXRef<?> x) {
      ONNXRef<?> centred = ctx.operation(Ops.SUB, List.of(x, ctx.array("scaling/mean", mean)), "scaling/centred",
          Map.of());
      return ctx.operation(Ops.DIV, List.of(centred, ctx.array("scaling/stddev", stddev)), "scaling/scaled",
          Map.of());
    }
  }

  /**
   * The scaling stored in a model's metadata, {@link None} when there is none.
   *
   * @throws IllegalArgumentException naming the entry and what is wrong with it
   */
  static InputScaling fromMetadata(Map<String, Object> metadata) {
    Object stored = metadata.get(METADATA_KEY);
    if (stored == null) {
      return new None();
    }
    if (!(stored instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)) {
      throw new IllegalArgumentException("model metadata \"" + METADATA_KEY + "\" is " + stored + "; expected an "
          + "object with a \"type\": none, factor or standardize");
    }
    return switch (type) {
      case "none" -> new None();
      case "factor" -> new Factor(numbers(m, "factor", false)[0]);
      case "standardize" -> new Standardize(numbers(m, "mean", true), numbers(m, "stddev", true));
      default -> throw new IllegalArgumentException("model metadata \"" + METADATA_KEY + "\" has type \"" + type
          + "\"; the exporter knows none, factor and standardize");
    };
  }

  private static double[] numbers(Map<?, ?> m, String key, boolean list) {
    Object v = m.get(key);
    List<?> items = list && v instanceof List<?> l ? l : !list && v != null ? List.of(v) : null;
    if (items == null || items.isEmpty() || !items.stream().allMatch(Number.class::isInstance)) {
      throw new IllegalArgumentException("model metadata \"" + METADATA_KEY + "." + key + "\" is " + v + "; expected "
          + (list ? "a list of numbers, one per feature" : "a number"));
    }
    return items.stream().mapToDouble(n -> ((Number) n).doubleValue()).toArray();
  }
}
