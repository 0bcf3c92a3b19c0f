package io.treeprop.core.loss;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.treeprop.core.layer.ActivationFunction;

/**
 * A training criterion over a batch of network outputs {@code pred: [batch, dim]} and targets
 * {@code y: [batch, targetWidth(dim)]}. Classification losses take one class index per row; the others take one
 * target per output.
 *
 * <p>{@link #accumulate} returns the <em>sum</em> over rows of {@code w_r · loss_r} and writes
 * {@code d(that sum)/d pred}, so sums over batches and partitions compose and the trainer divides once.
 *
 * <p>When {@link #fusedActivation()} is the network's last layer, the trainer hands this loss the input of that
 * layer (logits) with {@code fromLogits = true}: cross-entropy is then computed with log-sum-exp and its gradient
 * is the well-conditioned {@code softmax(z) − y} (or {@code σ(z) − y}).
 *
 * JSON: {@code {"type": "categorical_cross_entropy"}}, {@code {"type": "smooth_l1", "delta": 1.0}}. Serializable
 * so that it can travel inside Spark closures; it is stored as JSON, never with Java serialization.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Losses.Mse.class, name = "mse"),
    @JsonSubTypes.Type(value = Losses.Mae.class, name = "mae"),
    @JsonSubTypes.Type(value = Losses.SmoothL1.class, name = "smooth_l1"),
    @JsonSubTypes.Type(value = Losses.BinaryCrossEntropy.class, name = "binary_cross_entropy"),
    @JsonSubTypes.Type(value = Losses.CategoricalCrossEntropy.class, name = "categorical_cross_entropy"),
    @JsonSubTypes.Type(value = Losses.MulticlassMargin.class, name = "margin"),
    @JsonSubTypes.Type(value = Losses.Hinge.class, name = "hinge"),
    @JsonSubTypes.Type(value = Losses.Perceptron.class, name = "perceptron"),
})
public sealed interface Loss extends java.io.Serializable permits Losses.Mse, Losses.Mae, Losses.SmoothL1, Losses.BinaryCrossEntropy,
    Losses.CategoricalCrossEntropy, Losses.MulticlassMargin, Losses.Hinge, Losses.Perceptron {

  /** Kind of problem the loss trains. */
  enum Task {
    /** Real-valued targets, one per output. */
    REGRESSION,
    /** One class index per row: argmax over {@code dim ≥ 2} outputs. */
    MULTICLASS,
    /** Labels 0/1 per output, decided by a threshold. */
    BINARY
  }

  Task task();

  /** Floats of target per row for a network with {@code dim} outputs. */
  default int targetWidth(int dim) {
    return task() == Task.MULTICLASS ? 1 : dim;
  }

  /** The output activation this loss fuses with (softmax, sigmoid), or null. */
  default ActivationFunction fusedActivation() {
    return null;
  }

  /** For BINARY losses: the output value at and above which a row is class 1. */
  default float threshold() {
    return 0f;
  }

  /**
   * Checks that the loss can train a network with {@code dim} outputs.
   *
   * @throws IllegalArgumentException naming the loss, the output count and the rule
   */
  default void checkOutputs(int dim) {
    if (task() == Task.MULTICLASS && dim < 2) {
      throw new IllegalArgumentException(name() + " needs at least 2 outputs (one per class), the network has "
          + dim);
    }
  }

  /**
   * Checks one target value; returns null when valid, else the rule it breaks.
   *
   * @param dim number of network outputs
   */
  default String checkTarget(float y, int dim) {
    if (!Float.isFinite(y)) {
      return "targets must be finite";
    }
    return switch (task()) {
      case MULTICLASS -> y >= 0 && y < dim && y == Math.rint(y) ? null
          : "class labels must be integers in [0, " + (dim - 1) + "]";
      case BINARY -> y == 0f || y == 1f ? null : "binary labels must be 0 or 1";
      case REGRESSION -> null;
    };
  }

  /** The name used in JSON and configs. */
  String name();

  /**
   * Sum over rows of {@code w_r · loss_r}; writes {@code d(sum)/d pred} into {@code dPred} unless it is null.
   *
   * @param pred {@code [batch, dim]} outputs, or logits when {@code fromLogits}
   * @param y {@code [batch, targetWidth(dim)]}
   * @param w per-row weights {@code [batch]}, or null for all ones
   * @param dPred {@code [batch, dim]}, overwritten; may be null
   */
  double accumulate(float[] pred, float[] y, float[] w, float[] dPred, int batch, int dim, boolean fromLogits);
}
