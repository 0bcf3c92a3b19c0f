package io.treeprop.spark.train;

import io.treeprop.core.model.EpochMetrics;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress as log lines that read the same in a terminal and in a plain log, printed by time, not by count: a step
 * line at most every {@code intervalSeconds} (epoch/step, loss, samples/s, the ETA of the epoch and of the run),
 * and an epoch line only when epochs are slow (one took at least {@code intervalSeconds / 4}), at least
 * {@code intervalSeconds} passed since the last line, or it is the last epoch. A 1-second run of 200 short epochs
 * prints a few lines, not 400.
 *
 * <p>ETAs come from the wall time since the run (or the epoch) started over the steps done since then, so they
 * include validation, checkpoints and scheduling, not only the steps' own time.
 */
public final class ConsoleProgress implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger("treeprop.progress");

  private final double intervalSeconds;
  private final LongSupplier clock;
  private final Consumer<String> out;
  private long lastPrint;
  private long runStart;
  private long runSteps;
  private long epochStart;
  private int epochSteps;
  private int epochs;
  private long windowStart;
  private long windowRows;
  private long lastStep = -1;

  /** Progress every {@code intervalSeconds} on the {@code treeprop.progress} logger. */
  public ConsoleProgress(double intervalSeconds) {
    this(intervalSeconds, System::nanoTime, LOG::info);
  }

  /** With a clock (nanoseconds) and a sink for the lines: for tests. */
  ConsoleProgress(double intervalSeconds, LongSupplier clock, Consumer<String> out) {
    this.intervalSeconds = intervalSeconds;
    this.clock = clock;
    this.out = out;
  }

  @Override
  public void onStart(long rows, int stepsPerEpoch, int epochs, int partitions) {
    this.epochs = epochs;
    runStart = clock.getAsLong();
    lastPrint = runStart;
    windowStart = runStart;
    epochStart = runStart;
    out.accept(String.format(Locale.ROOT, "training on %,d rows in %d partitions: %d epochs of %d steps", rows,
        partitions, epochs, stepsPerEpoch));
  }

  @Override
  public void onStep(StepReport s) {
    long now = clock.getAsLong();
    if (lastStep >= 0 && s.step() != lastStep + 1) {
      // resumed or restarted elsewhere: time only what this process ran
      runStart = now;
      runSteps = 0;
    }
    lastStep = s.step();
    runSteps++;
    epochSteps++;
    windowRows += s.rows();
    if ((now - lastPrint) / 1e9 < intervalSeconds) {
      return;
    }
    double rate = windowRows / Math.max(1e-9, (now - windowStart) / 1e9);
    int leftInEpoch = s.stepsPerEpoch() - s.stepInEpoch() - 1;
    long leftInRun = leftInEpoch + (long) (s.epochs() - s.epoch()) * s.stepsPerEpoch();
    double perEpochStep = (now - epochStart) / 1e9 / epochSteps;
    double perRunStep = (now - runStart) / 1e9 / runSteps;
    out.accept(String.format(Locale.ROOT, "epoch %d/%d  step %d/%d  loss %.4f%s  %,.0f samples/s  epoch ETA %s  "
        + "run ETA %s", s.epoch(), s.epochs(), s.stepInEpoch() + 1, s.stepsPerEpoch(), s.loss(),
        s.accuracy() == null ? "" : String.format(Locale.ROOT, "  acc %.4f", s.accuracy()), rate,
        duration(leftInEpoch * perEpochStep), duration(leftInRun * perRunStep)));
    lastPrint = now;
    windowStart = now;
    windowRows = 0;
  }

  @Override
  public void onEpoch(EpochMetrics m) {
    long now = clock.getAsLong();
    double took = (now - epochStart) / 1e9;
    epochStart = now;
    epochSteps = 0;
    boolean slow = took >= intervalSeconds / 4;
    if (!slow && m.epoch() < epochs && (now - lastPrint) / 1e9 < intervalSeconds) {
      return;
    }
    out.accept(String.format(Locale.ROOT, "epoch %d/%d done in %s: loss %.4f%s%s%s", m.epoch(), epochs,
        duration(took), m.trainLoss(),
        m.trainAccuracy() == null ? "" : String.format(Locale.ROOT, "  acc %.4f", m.trainAccuracy()),
        m.validationLoss() == null ? "" : String.format(Locale.ROOT, "  val_loss %.4f", m.validationLoss()),
        m.validationAccuracy() == null ? "" : String.format(Locale.ROOT, "  val_acc %.4f", m.validationAccuracy())));
    lastPrint = now;
  }

  /** E.g. {@code 0.4s}, {@code 12s}, {@code 3m05s}, {@code 1h02m}. */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "?";
    }
    if (seconds < 10) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
