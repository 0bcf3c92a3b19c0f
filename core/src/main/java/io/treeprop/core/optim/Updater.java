package io.treeprop.core.optim;

import io.treeprop.core.param.ParamLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * One parameter update, in this order: clip the gradient by global norm, add L2 weight decay to the gradient of
 * the decayed blocks, take the schedule's rate for this step, let the optimizer move the parameters, advance the
 * step. Holds configuration only; the moving parts are in the {@link OptimizerState}.
 *
 * @param l2 L2 coefficient λ: adds {@code λw} to the gradient (the loss gains {@code ½λ‖w‖²})
 * @param decayBiases whether L2 and AdamW decay also apply to bias blocks (default: weights only)
 * @param clipNorm clip the gradient to this global L2 norm; 0 disables
 */
public record Updater(Optimizer optimizer, Schedule schedule, float l2, boolean decayBiases, float clipNorm) {
  public Updater {
    if (optimizer == null) {
      throw new IllegalArgumentException("optimizer is required");
    }
    if (schedule == null) {
      schedule = new Schedule.Constant();
    }
    if (!(l2 >= 0) || !Float.isFinite(l2)) {
      throw new IllegalArgumentException("l2 (" + l2 + ") must be a finite number >= 0");
    }
    if (!(clipNorm >= 0) || !Float.isFinite(clipNorm)) {
      throw new IllegalArgumentException("clipNorm (" + clipNorm + ") must be a finite number >= 0 (0 = off)");
    }
  }

  /** Just an optimizer at a constant rate, no decay, no clipping. */
  public Updater(Optimizer optimizer) {
    this(optimizer, new Schedule.Constant(), 0f, false, 0f);
  }

  /** The learning rate of step {@code t}. */
  public float rate(long t) {
    return (float) schedule.rate(optimizer.learningRate(), t);
  }

  /** The {@code [start, end)} ranges that weight decay applies to. */
  public int[] decayRanges(ParamLayout layout) {
    List<Integer> r = new ArrayList<>();
    for (ParamLayout.Block b : layout.paramBlocks()) {
      if (b.kind() == ParamLayout.Kind.WEIGHT || decayBiases) {
        r.add(b.offset());
        r.add(b.offset() + b.size());
      }
    }
    return r.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Updates {@code params} in place from the averaged gradient {@code grad} (which is modified: clipped and
   * decayed).
   *
   * @param decay from {@link #decayRanges}, computed once per run
   * @return the gradient's global norm before clipping, or NaN when clipping is off (it is not computed then)
   */
  public double applyInPlace(float[] params, float[] grad, OptimizerState state, int[] decay) {
    if (params.length != grad.length) {
      throw new IllegalArgumentException("gradient has " + grad.length + " values, parameters " + params.length);
    }
    double norm = clipNorm > 0 ? norm(grad) : Double.NaN;
    if (clipNorm > 0 && norm > clipNorm) {
      float s = (float) (clipNorm / norm);
      for (int i = 0; i < grad.length; i++) {
        grad[i] *= s;
      }
    }
    if (l2 > 0) {
      for (int r = 0; r < decay.length; r += 2) {
        for (int i = decay[r]; i < decay[r + 1]; i++) {
          grad[i] += l2 * params[i];
        }
      }
    }
    long t = state.step();
    optimizer.updateInPlace(params, grad, state.slots(), rate(t), t + 1, decay);
    state.advance();
    return norm;
  }

  /** Four independent sums, so the loop is not one long chain of dependent additions. */
  private static double norm(float[] g) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < g.length; i += 4) {
      s0 += (double) g[i] * g[i];
      s1 += (double) g[i + 1] * g[i + 1];
      s2 += (double) g[i + 2] * g[i + 2];
      s3 += (double) g[i + 3] * g[i + 3];
    }
    for (; i < g.length; i++) {
      s0 += (double) g[i] * g[i];
    }
    return Math.sqrt((s0 + s1) + (s2 + s3));
  }
}
