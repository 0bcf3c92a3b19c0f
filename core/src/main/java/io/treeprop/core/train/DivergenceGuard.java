package io.treeprop.core.train;

/**
 * Catches a loss that explodes while staying finite (Adam at a learning rate of 1e6 reaches 1e11 and more, never
 * NaN). The rule, checked after every step: training has diverged when the mean loss of the last
 * {@value #WINDOW} steps exceeds {@value #FACTOR}× the loss of this run's first step, computed at the weights it
 * started from (at least {@value #FLOOR}: a run that starts near zero loss is not stopped for reaching 1). A model
 * whose loss grew a thousandfold from where it started has learnt nothing worth keeping; ordinary noise, warm-up
 * bumps and the spikes of a high learning rate stay far below that. (The first step is the reference, not a window
 * of first steps: one update at a wild learning rate already explodes the next step's loss.) After a resume the
 * reference is the resumed run's first step. Non-finite losses are caught by the trainers before this.
 */
public final class DivergenceGuard {
  /** Steps per window. */
  public static final int WINDOW = 10;
  /** How many times the starting loss counts as divergence. */
  public static final double FACTOR = 1000;
  /** The smallest reference loss. */
  public static final double FLOOR = 1e-3;

  private final double[] recent = new double[WINDOW];
  private long seen;
  private double reference = Double.NaN;

  /**
   * Records a step's mean loss; returns why training diverged, or null.
   *
   * @param meanLoss the step's weighted mean loss (finite)
   */
  public String record(double meanLoss) {
    if (seen == 0) {
      reference = Math.max(meanLoss, FLOOR);
    }
    recent[(int) (seen % WINDOW)] = meanLoss;
    seen++;
    if (seen < WINDOW) {
      return null;
    }
    double mean = 0;
    for (double v : recent) {
      mean += v / WINDOW;
    }
    if (mean > FACTOR * reference) {
      return String.format("the mean loss of the last %d steps is %.4g, over %.0f× the %.4g of the run's first "
          + "step", WINDOW, mean, FACTOR, reference);
    }
    return null;
  }
}
