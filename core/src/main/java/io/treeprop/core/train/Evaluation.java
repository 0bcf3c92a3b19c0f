package io.treeprop.core.train;

import io.treeprop.core.model.MicroBatch;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.Workspace;

/** Inference-mode loss and metrics over a whole dataset, one {@link MicroBatch} at a time. */
public final class Evaluation {
  private Evaluation() {}

  /** Loss and metric sums of {@code params} on {@code data}, a default micro-batch at a time. */
  public static BatchStats evaluate(Objective objective, float[] params, float[] state, Dataset data) {
    int b = MicroBatch.defaults().rows(objective.network(), data.rows());
    Workspace ws = objective.network().newWorkspace(b, false);
    float[] y = new float[b * data.targetWidth()];
    float[] w = data.w() == null ? null : new float[b];
    int[] identity = new int[data.rows()];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = i;
    }
    BatchStats stats = new BatchStats();
    for (int from = 0; from < data.rows(); from += b) {
      int n = Math.min(b, data.rows() - from);
      data.gather(identity, from, n, ws.input(), y, w);
      objective.evaluate(ws, params, state, y, w, n, stats);
    }
    return stats;
  }

  /** Loss and metrics of a trained model on {@code data}. */
  public static BatchStats evaluate(Model model, Dataset data) {
    if (model.loss() == null) {
      throw new IllegalStateException("the model has no loss to evaluate with");
    }
    Objective o = new Objective(model.network(), model.loss());
    return evaluate(o, model.params(), model.state(), data);
  }
}
