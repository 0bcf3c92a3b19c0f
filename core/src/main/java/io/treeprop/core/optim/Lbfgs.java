package io.treeprop.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Full-batch L-BFGS settings (DESIGN.md decision 21). Not a per-batch update: the trainers run it through an
 * {@link LbfgsSolver}, one iteration per epoch, each iteration one or more evaluations of the loss and gradient
 * over every training row. The iteration limit is the trainer's epoch count.
 *
 * <pre>
 * direction: d = −H g, H from the last m pairs (s, y) by the two-loop recursion — Nocedal &amp; Wright, Alg. 7.4
 * step:      α satisfying the strong Wolfe conditions (c₁ = 1e-4, c₂ = 0.9) — Nocedal &amp; Wright, Alg. 3.5/3.6
 * </pre>
 *
 * JSON: {@code {"type": "lbfgs", "historySize": 10, "tolerance": 1e-6}}; omitted fields take their defaults.
 *
 * @param historySize m, the correction pairs kept (1 to {@link #MAX_HISTORY}; MLlib's default 10)
 * @param tolerance stop when an iteration lowers the loss by at most this fraction of it, or the gradient's norm
 *     falls to it (MLlib's default 1e-6); 0 runs every iteration
 */
public record Lbfgs(int historySize, double tolerance) implements Optimizer {
  public static final int DEFAULT_HISTORY = 10;
  /** Bounds what a checkpoint may hold: {@code 2 · MAX_HISTORY} vectors. */
  public static final int MAX_HISTORY = 100;
  public static final double DEFAULT_TOLERANCE = 1e-6;

  public Lbfgs {
    if (historySize < 1 || historySize > MAX_HISTORY) {
      throw new IllegalArgumentException("lbfgs.historySize (" + historySize + ") must be in [1, " + MAX_HISTORY
          + "]");
    }
    if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
      throw new IllegalArgumentException("lbfgs.tolerance (" + tolerance + ") must be a finite number >= 0");
    }
  }

  /** JSON creator: omitted fields take their defaults. */
  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  static Lbfgs fromJson(@JsonProperty("historySize") Integer historySize,
      @JsonProperty("tolerance") Double tolerance) {
    return new Lbfgs(historySize == null ? DEFAULT_HISTORY : historySize,
        tolerance == null ? DEFAULT_TOLERANCE : tolerance);
  }

  public Lbfgs() {
    this(DEFAULT_HISTORY, DEFAULT_TOLERANCE);
  }

  /** The first trial step of every line search after the first iteration (the unit quasi-Newton step). */
  @Override
  public float learningRate() {
    return 1f;
  }

  /** The history is a variable number of vectors ({@link LbfgsSolver#state}), none at the start. */
  @Override
  public int slotCount() {
    return 0;
  }

  /** Not a per-batch update. */
  @Override
  public void updateInPlace(float[] params, float[] grad, float[][] slots, float lr, long t, int[] decay) {
    throw new IllegalStateException("lbfgs is a full-batch solver: train it with LocalTrainer or SparkTrainer, "
        + "which run it through LbfgsSolver, not through Updater.applyInPlace");
  }

  /**
   * Checks the update settings that mean nothing to a line search.
   *
   * @throws IllegalArgumentException naming the setting
   */
  public static void requireCompatible(Updater u) {
    if (u.clipNorm() > 0) {
      throw new IllegalArgumentException("clipNorm (" + u.clipNorm() + ") does not apply to lbfgs: the line "
          + "search chooses the step length; set it to 0");
    }
    if (!(u.schedule() instanceof Schedule.Constant)) {
      throw new IllegalArgumentException("schedule " + u.schedule().getClass().getSimpleName().toLowerCase()
          + " does not apply to lbfgs: the line search chooses the step length; use the constant schedule");
    }
  }
}
