package io.treeprop.core.model;

import io.treeprop.core.loss.Loss;

/** Turning network outputs into class decisions, the same way in training metrics, evaluation and scoring. */
public final class Predictions {
  private Predictions() {}

  /**
   * The class of one row: argmax over {@code dim} outputs for multiclass losses; for binary losses (one output)
   * 1 when the output reaches the loss's threshold (0.5 for probabilities, 0 for raw scores).
   */
  public static int predictedClass(Loss loss, float[] out, int offset, int dim) {
    if (loss.task() == Loss.Task.BINARY && dim == 1) {
      return out[offset] >= loss.threshold() ? 1 : 0;
    }
    int best = 0;
    for (int j = 1; j < dim; j++) {
      if (out[offset + j] > out[offset + best]) {
        best = j;
      }
    }
    return best;
  }
}
