package io.treeprop.core.train;

import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;

/**
 * How to train: epochs of shuffled mini-batches with an {@link Updater}, an optional validation split and early
 * stopping. Immutable; every run derives its own generators from {@code seed}.
 *
 * @param validationFraction fraction of the training rows held out for validation when no validation set is
 *     given; 0 for none
 * @param earlyStopping null to always run all epochs
 */
public record TrainConfig(int epochs, int batchSize, long seed, Updater updater, double validationFraction,
    EarlyStopping earlyStopping) {
  public static final int DEFAULT_EPOCHS = 10;
  public static final int DEFAULT_BATCH_SIZE = 128;
  public static final long DEFAULT_SEED = 42L;

  public TrainConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs (" + epochs + ") must be at least 1");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize (" + batchSize + ") must be at least 1");
    }
    if (updater == null) {
      throw new IllegalArgumentException("updater (optimizer settings) is required");
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validationFraction (" + validationFraction + ") must be in [0, 1)");
    }
  }

  /** Adam at its default rate, 10 epochs of 128, seed 42, no validation. */
  public static TrainConfig defaults() {
    return new TrainConfig(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_SEED, new Updater(new Optimizers.Adam()), 0,
        null);
  }

  public TrainConfig withEpochs(int e) {
    return new TrainConfig(e, batchSize, seed, updater, validationFraction, earlyStopping);
  }

  public TrainConfig withBatchSize(int b) {
    return new TrainConfig(epochs, b, seed, updater, validationFraction, earlyStopping);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(epochs, batchSize, s, updater, validationFraction, earlyStopping);
  }

  public TrainConfig withUpdater(Updater u) {
    return new TrainConfig(epochs, batchSize, seed, u, validationFraction, earlyStopping);
  }

  public TrainConfig withValidation(double fraction, EarlyStopping es) {
    return new TrainConfig(epochs, batchSize, seed, updater, fraction, es);
  }

  /**
   * The optimizer steps a run of {@code epochs} over {@code rows} rows will take when {@code validationFraction}
   * of them is held out (the expected count: the split is drawn per row), e.g. for a cosine schedule over the whole
   * run. At least one step per epoch.
   */
  public static long runSteps(long rows, double validationFraction, int batchSize, int epochs) {
    long train = Math.max(1, (long) Math.floor(rows * (1 - validationFraction)));
    return (long) epochs * ((train + batchSize - 1) / batchSize);
  }
}
