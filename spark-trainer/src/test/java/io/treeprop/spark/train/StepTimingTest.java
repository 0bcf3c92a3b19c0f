package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepTimingTest {
  private static final double EPS = 1e-12;

  @Test
  void withoutOverlapTheRestOfTheGatherIsScheduling() {
    StepTiming t = StepTiming.of(0.5, 10, 7, 1, 0.25);
    assertEquals(new StepTiming(0.5, 7, 1, 2, 0.25), t);
    assertEquals(10.75, t.total(), EPS);
  }

  @Test
  void mergeOverlappingComputeIsTakenOffTheMerge() {
    // the driver merged task 0's result (1 ms) while task 1 computed: gather 7.5 < compute 7 + merge 1
    StepTiming t = StepTiming.of(0.5, 7.5, 7, 1, 0.25);
    assertEquals(new StepTiming(0.5, 7, 0.5, 0, 0.25), t);
    assertEquals(8.25, t.total(), EPS);
  }

  @Test
  void computeOverlappingTheSendIsTakenOffTheSendOnceTheMergeIsUsedUp() {
    // task 0 began computing 0.3 ms before the driver finished sending task 1 its order
    StepTiming t = StepTiming.of(0.5, 6.7, 7, 0.1, 0.25);
    assertEquals(0.2, t.broadcast(), EPS);
    assertEquals(7, t.compute(), EPS);
    assertEquals(0, t.aggregate(), EPS);
    assertEquals(0, t.scheduling(), EPS);
    assertEquals(7.45, t.total(), EPS);
  }

  @Test
  void partsAreNeverNegativeAndAlwaysAddUpToTheWallTime() {
    double[] values = {0, 0.1, 0.5, 1, 3, 7, 12};
    for (double send : values) {
      for (double gather : values) {
        for (double compute : values) {
          for (double merge : values) {
            StepTiming t = StepTiming.of(send, gather, compute, merge, 0.3);
            String at = send + " " + gather + " " + compute + " " + merge + ": " + t;
            assertEquals(send + gather + 0.3, t.total(), 1e-9, at);
            assertTrue(t.broadcast() >= 0 && t.compute() >= 0 && t.aggregate() >= 0 && t.scheduling() >= 0, at);
          }
        }
      }
    }
  }
}
