package io.treeprop.core.train;

import io.treeprop.core.model.MicroBatch;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.random.Seeds;

/**
 * A batch's gradient over consecutive {@link MicroBatch}es of a row order, for {@link LocalTrainer}: the workspace
 * and buffers sized once for the largest batch, and the count-weighted sum of the micro-batches' new state.
 */
final class RowBatches {
  final Objective objective;
  final Dataset data;
  final int batch;
  private final int micro;
  private final Workspace ws;
  private final float[] y;
  private final float[] w;
  private final double[] stateSum;

  /** @param batch the most rows one {@link #accumulate} call takes */
  RowBatches(Objective objective, Dataset data, int batch) {
    this.objective = objective;
    this.data = data;
    this.batch = batch;
    Network net = objective.network();
    this.micro = MicroBatch.defaults().rows(net, batch);
    this.ws = net.newWorkspace(micro, false);
    this.y = new float[micro * data.targetWidth()];
    this.w = data.w() == null ? null : new float[micro];
    this.stateSum = new double[net.layout().stateCount()];
  }

  /**
   * Adds the gradient of rows {@code order[from, from + n)} into {@code grad} and their sums to {@code s}.
   *
   * @param seed the batch seed; micro-batch {@code k} rows in gets {@code Seeds.microBatch(seed, k)}
   */
  void accumulate(int[] order, int from, int n, float[] params, float[] state, long seed, float[] grad,
      BatchStats s) {
    for (int j = 0, parts = MicroBatch.parts(n, micro); j < parts; j++) {
      int k = MicroBatch.start(n, micro, j);
      int m = MicroBatch.start(n, micro, j + 1) - k;
      data.gather(order, from + k, m, ws.input(), y, w);
      objective.accumulateGradient(ws, params, state, y, w, m, Seeds.microBatch(seed, k), grad, s);
      float[] newState = ws.newState();
      for (int i = 0; i < stateSum.length; i++) {
        stateSum[i] += (double) m * newState[i];
      }
    }
  }

  /**
   * {@code state = } the mean new state of the {@code n} rows accumulated since the last call, and clears the sum;
   * false when a value is not finite.
   */
  boolean meanStateInto(int n, float[] state) {
    boolean finite = true;
    for (int i = 0; i < stateSum.length; i++) {
      state[i] = (float) (stateSum[i] / n);
      finite &= Float.isFinite(state[i]);
      stateSum[i] = 0;
    }
    return finite;
  }

  /** {@code grad /= weightSum} in float ({@code grad · fl(1 / weightSum)}), zero when no weight. */
  static void scale(float[] grad, double weightSum) {
    if (weightSum <= 0) {
      java.util.Arrays.fill(grad, 0f);
      return;
    }
    float inv = (float) (1.0 / weightSum);
    for (int i = 0; i < grad.length; i++) {
      grad[i] *= inv;
    }
  }
}
