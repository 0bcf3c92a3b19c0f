package io.treeprop.spark.train;

import io.treeprop.core.model.Workspace;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Objective;
import io.treeprop.spark.data.Block;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/** Inference-mode loss and metrics over a block's validation rows (or all its rows), in chunks. */
final class EvalTask implements Function2<StepAggregate, Block, StepAggregate> {
  private static final long serialVersionUID = 1L;

  private final String specJson;
  private final String lossJson;
  private final boolean heldOutPart;
  private final Broadcast<Weights> weights;
  private transient Objective objective;

  /** @param heldOutPart evaluate the block's held-out rows ({@code v*}) instead of its training rows */
  EvalTask(String specJson, String lossJson, boolean heldOutPart, Broadcast<Weights> weights) {
    this.specJson = specJson;
    this.lossJson = lossJson;
    this.heldOutPart = heldOutPart;
    this.weights = weights;
  }

  @Override
  public StepAggregate call(StepAggregate acc, Block b) {
    int n = heldOutPart ? b.validationRows : b.rows;
    if (n == 0) {
      return acc;
    }
    if (objective == null) {
      objective = StepTask.compile(specJson, lossJson);
    }
    float[] x = heldOutPart ? b.vx : b.x;
    float[] y = heldOutPart ? b.vy : b.y;
    float[] w = heldOutPart ? b.vw : b.w;
    int d = objective.network().inputShape().size();
    int tw = objective.targetWidth();
    Workspace ws = objective.network().newWorkspace(Math.min(n, StepTask.CHUNK), false);
    float[] yb = new float[ws.capacity() * tw];
    float[] wb = w == null ? null : new float[ws.capacity()];
    BatchStats stats = new BatchStats();
    for (int k = 0; k < n; k += ws.capacity()) {
      int m = Math.min(ws.capacity(), n - k);
      System.arraycopy(x, k * d, ws.input(), 0, m * d);
      System.arraycopy(y, k * tw, yb, 0, m * tw);
      if (w != null) {
        System.arraycopy(w, k, wb, 0, m);
      }
      objective.evaluate(ws, weights.value().params, weights.value().state, yb, wb, m, stats);
    }
    acc.stats.merge(stats.roundToFloat());
    return acc;
  }
}
