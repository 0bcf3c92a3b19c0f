package io.treeprop.core.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Stop when a monitored metric has not improved by more than {@code minDelta} for {@code patience} epochs, and
 * optionally go back to the best epoch's weights.
 *
 * <pre>Prechelt, "Early Stopping — But When?", Neural Networks: Tricks of the Trade, 1998</pre>
 */
public record EarlyStopping(Monitor monitor, int patience, double minDelta, boolean restoreBest) {
  /** Defaults: validation loss, patience 3, any improvement counts, restore the best weights. */
  public static final int DEFAULT_PATIENCE = 3;

  /** The metric watched; losses must go down, accuracies up. */
  public enum Monitor {
    @JsonProperty("validation_loss") VALIDATION_LOSS(false, true),
    @JsonProperty("validation_accuracy") VALIDATION_ACCURACY(true, true),
    @JsonProperty("train_loss") TRAIN_LOSS(false, false);

    private final boolean higherIsBetter;
    private final boolean needsValidation;

    Monitor(boolean higherIsBetter, boolean needsValidation) {
      this.higherIsBetter = higherIsBetter;
      this.needsValidation = needsValidation;
    }

    public boolean needsValidation() {
      return needsValidation;
    }

    /** Reads the monitored value from an epoch's metrics; null when the epoch did not measure it. */
    public Double read(io.treeprop.core.model.EpochMetrics m) {
      return switch (this) {
        case VALIDATION_LOSS -> m.validationLoss();
        case VALIDATION_ACCURACY -> m.validationAccuracy();
        case TRAIN_LOSS -> m.trainLoss();
      };
    }

    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public EarlyStopping {
    if (monitor == null) {
      throw new IllegalArgumentException("earlyStopping.monitor is required: validation_loss, validation_accuracy "
          + "or train_loss");
    }
    if (patience < 1) {
      throw new IllegalArgumentException("earlyStopping.patience (" + patience + ") must be at least 1 epoch");
    }
    if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
      throw new IllegalArgumentException("earlyStopping.minDelta (" + minDelta + ") must be a finite number >= 0");
    }
  }

  /** Validation loss, the given patience, no minimum delta, restore best. */
  public static EarlyStopping onValidationLoss(int patience) {
    return new EarlyStopping(Monitor.VALIDATION_LOSS, patience, 0, true);
  }

  /** A fresh tracker for one run. */
  public Tracker newTracker() {
    return new Tracker();
  }

  /** The mutable side: best value so far and epochs since it. Restorable for exact resume. */
  public final class Tracker {
    private double best = Double.NaN;
    private int bestEpoch;
    private int waited;

    /**
     * Records an epoch's value.
     *
     * @return true when it is a new best (the caller keeps a copy of the weights)
     */
    public boolean observe(int epoch, double value) {
      boolean improved = Double.isNaN(best)
          || (monitor.higherIsBetter ? value > best + minDelta : value < best - minDelta);
      if (improved) {
        best = value;
        bestEpoch = epoch;
        waited = 0;
      } else {
        waited++;
      }
      return improved;
    }

    /** True once {@code patience} epochs in a row brought no improvement. */
    public boolean shouldStop() {
      return waited >= patience;
    }

    public double best() {
      return best;
    }

    /** Why the run stops, once {@link #shouldStop()}: the monitored metric, the patience and the best epoch. */
    public String stopReason() {
      return "early stopping: " + monitor.jsonName() + " did not improve for " + patience + " epochs (best "
          + String.format(java.util.Locale.ROOT, "%.4g", best) + " at epoch " + bestEpoch + ")";
    }

    public int bestEpoch() {
      return bestEpoch;
    }

    public int waited() {
      return waited;
    }

    /** Restores a tracker saved in a checkpoint. */
    public void restore(double best, int bestEpoch, int waited) {
      this.best = best;
      this.bestEpoch = bestEpoch;
      this.waited = waited;
    }
  }
}
