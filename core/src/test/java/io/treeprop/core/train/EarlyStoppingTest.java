package io.treeprop.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The early-stopping tracker's decisions and the reason it gives, with the best value rounded for a reader. */
class EarlyStoppingTest {
  @Test
  void stopsAfterPatienceEpochsWithoutImprovementAndSaysTheBestInFourDigits() {
    EarlyStopping.Tracker t = EarlyStopping.onValidationLoss(2).newTracker();
    assertTrue(t.observe(1, 0.08));
    assertTrue(t.observe(2, 0.06290535754468067));
    t.observe(3, 0.07);
    t.observe(4, 0.065);
    assertTrue(t.shouldStop());
    assertEquals("early stopping: validation_loss did not improve for 2 epochs (best 0.06291 at epoch 2)",
        t.stopReason());
  }
}
