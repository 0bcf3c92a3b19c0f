package io.treeprop.spark.train;

import io.treeprop.core.model.EpochMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress as log lines that read the same in a terminal and in a plain log: a step line at most every
 * {@code intervalSeconds} (epoch/step, loss, samples/s, ETA of the epoch and the run) and one line per epoch.
 */
public final class ConsoleProgress implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger("treeprop.progress");

  private final double intervalSeconds;
  private long lastPrint;
  private long rows;
  private int stepsPerEpoch;
  private int epochs;
  private long windowStart;
  private long windowRows;

  public ConsoleProgress(double intervalSeconds) {
    this.intervalSeconds = intervalSeconds;
  }

  @Override
  public void onStart(long rows, int stepsPerEpoch, int epochs, int partitions) {
    this.rows = rows;
    this.stepsPerEpoch = stepsPerEpoch;
    this.epochs = epochs;
    lastPrint = System.nanoTime();
    windowStart = lastPrint;
    LOG.info(String.format("training on %,d rows in %d partitions: %d epochs of %d steps", rows, partitions, epochs,
        stepsPerEpoch));
  }

  @Override
  public void onStep(StepReport s) {
    long now = System.nanoTime();
    windowRows += s.rows();
    if ((now - lastPrint) / 1e9 < intervalSeconds && s.stepInEpoch() + 1 < s.stepsPerEpoch()) {
      return;
    }
    double rate = windowRows / ((now - windowStart) / 1e9);
    long left = (long) (s.stepsPerEpoch() - s.stepInEpoch() - 1) * rows / Math.max(1, stepsPerEpoch);
    long leftRun = left + (long) (epochs - s.epoch()) * rows;
    LOG.info(String.format("epoch %d/%d  step %d/%d  loss %.4f%s  %,.0f samples/s  epoch ETA %s  run ETA %s",
        s.epoch(), s.epochs(), s.stepInEpoch() + 1, s.stepsPerEpoch(), s.loss(),
        s.accuracy() == null ? "" : String.format("  acc %.4f", s.accuracy()), rate, duration(left / rate),
        duration(leftRun / rate)));
    lastPrint = now;
    windowStart = now;
    windowRows = 0;
  }

  @Override
  public void onEpoch(EpochMetrics m) {
    LOG.info(String.format("epoch %d/%d done in %s: loss %.4f%s%s%s", m.epoch(), epochs, duration(m.seconds()),
        m.trainLoss(), m.trainAccuracy() == null ? "" : String.format("  acc %.4f", m.trainAccuracy()),
        m.validationLoss() == null ? "" : String.format("  val_loss %.4f", m.validationLoss()),
        m.validationAccuracy() == null ? "" : String.format("  val_acc %.4f", m.validationAccuracy())));
  }

  static String duration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
        : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
