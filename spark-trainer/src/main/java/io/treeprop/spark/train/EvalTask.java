package io.treeprop.spark.train;

import io.treeprop.core.model.MicroBatch;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Objective;
import io.treeprop.spark.data.Block;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/** Inference-mode loss and metrics over a block's validation rows (or all its rows), one micro-batch at a time. */
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
    if ((heldOutPart ? b.validationRows : b.rows) == 0) {
      return acc;
    }
    if (objective == null) {
      objective = StepTask.compile(specJson, lossJson);
    }
    acc.stats.merge(evaluate(objective, b, heldOutPart, weights.value().params, weights.value().state, null));
    return acc;
  }

  /** The micro-batch {@link #evaluate} processes at once for this block. */
  static int chunk(Network net, Block b, boolean heldOutPart) {
    return MicroBatch.defaults().rows(net, heldOutPart ? b.validationRows : b.rows);
  }

  /**
   * The block's inference-mode sums, rounded to float (so sums over blocks do not depend on their order): the
   * same numbers whichever way they travel (treeAggregate or the barrier exchange).
   *
   * @param workspace a workspace of at least {@link #chunk} rows to reuse, or null; the chunks are {@link #chunk}
   *     rows whatever its capacity
   */
  static BatchStats evaluate(Objective objective, Block b, boolean heldOutPart, float[] params, float[] state,
      Workspace workspace) {
    int n = heldOutPart ? b.validationRows : b.rows;
    BatchStats stats = new BatchStats();
    if (n == 0) {
      return stats;
    }
    float[] x = heldOutPart ? b.vx : b.x;
    float[] y = heldOutPart ? b.vy : b.y;
    float[] w = heldOutPart ? b.vw : b.w;
    int d = objective.network().inputShape().size();
    int tw = objective.targetWidth();
    int chunk = chunk(objective.network(), b, heldOutPart);
    Workspace ws = workspace != null && workspace.capacity() >= chunk ? workspace
        : objective.network().newWorkspace(chunk, false);
    float[] yb = new float[chunk * tw];
    float[] wb = w == null ? null : new float[chunk];
    for (int k = 0; k < n; k += chunk) {
      int m = Math.min(chunk, n - k);
      System.arraycopy(x, k * d, ws.input(), 0, m * d);
      System.arraycopy(y, k * tw, yb, 0, m * tw);
      if (w != null) {
        System.arraycopy(w, k, wb, 0, m);
      }
      objective.evaluate(ws, params, state, yb, wb, m, stats);
    }
    return stats.roundToFloat();
  }
}
