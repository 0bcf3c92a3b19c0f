package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.model.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines by time on a simulated clock: how many, and ETAs that match the time the run really takes. */
class ConsoleProgressTest {
  /** A clock the test moves. */
  private long now;

  /**
   * Runs {@code epochs} epochs of {@code steps} steps, each step taking {@code stepSeconds} and each epoch's end
   * (validation) {@code epochEndSeconds}, and returns the lines printed.
   */
  private List<String> run(int epochs, int steps, double stepSeconds, double epochEndSeconds) {
    List<String> lines = new ArrayList<>();
    ConsoleProgress p = new ConsoleProgress(10, () -> now, lines::add);
    p.onStart(steps * 100L, steps, epochs, 2);
    long step = 0;
    for (int e = 1; e <= epochs; e++) {
      for (int s = 0; s < steps; s++) {
        now += (long) (stepSeconds * 1e9);
        p.onStep(new StepReport(e, epochs, s, steps, step++, 0.5, 0.8, 100, 1e-3, null));
      }
      now += (long) (epochEndSeconds * 1e9);
      p.onEpoch(new EpochMetrics(e, step, 0.5, 0.8, null, null, 1e-3, 0));
    }
    return lines;
  }

  @Test
  void aShortRunOfManyEpochsPrintsAFewLinesNotTwoPerEpoch() {
    List<String> lines = run(200, 2, 0.0025, 0);
    assertEquals(2, lines.size(), "the start line and the last epoch's line: " + lines);
    assertTrue(lines.get(1).startsWith("epoch 200/200 done"), lines.toString());
  }

  @Test
  void slowEpochsGetALineEachAndLongOnesStepLinesByTime() {
    List<String> lines = run(3, 100, 0.25, 5);
    long epochLines = lines.stream().filter(l -> l.contains(" done in ")).count();
    long stepLines = lines.stream().filter(l -> l.contains(" step ")).count();
    assertEquals(3, epochLines, lines.toString());
    assertTrue(stepLines >= 6 && stepLines <= 9, "about one per 10 s of a 90 s run: " + lines);
  }

  @Test
  void etasIncludeTheTimeBetweenEpochsAndAreNeverZeroMidRun() {
    // 4 epochs of 40 steps at 0.25 s plus 10 s of validation each: 80 s per epoch, 320 s in all
    List<String> lines = run(4, 40, 0.25, 10);
    String first = lines.stream().filter(l -> l.contains(" step ")).findFirst().orElseThrow();
    // the first step line comes after 40 steps (10 s): 30 s left in the epoch's steps; the run's ETA from the
    // whole run's pace so far (no validation seen yet) is 120 steps × 0.25 s
    assertTrue(first.contains("step 40/40"), first);
    assertTrue(first.endsWith("epoch ETA 0.0s  run ETA 30s"), first);
    String later = lines.stream().filter(l -> l.contains("epoch 3/4  step")).findFirst().orElseThrow();
    // after two epochs (160 s for 80 steps: 2 s a step including validation), ETAs count validation in
    assertTrue(later.matches(".*epoch ETA \\d+(\\.\\d)?s  run ETA (1m\\d\\ds|\\d+s)"), later);
    int stepsLeft = 80 - Integer.parseInt(later.replaceAll(".*step (\\d+)/40.*", "$1"));
    String eta = later.replaceAll(".*run ETA ", "");
    double seconds = eta.contains("m") ? 60 * Integer.parseInt(eta.substring(0, eta.indexOf('m')))
        + Integer.parseInt(eta.substring(eta.indexOf('m') + 1, eta.length() - 1)) : Double.parseDouble(
        eta.substring(0, eta.length() - 1));
    assertTrue(seconds > stepsLeft * 0.25 * 1.5, "the run's ETA counts validation time: " + later);
  }
}
