package io.treeprop.core.check;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Network;
import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Objective;

/**
 * Compares back-propagated gradients with central differences {@code (L(θ+ε) − L(θ−ε)) / 2ε} of the summed loss,
 * for every parameter and (optionally) every input value.
 *
 * <p>Piecewise-linear functions (ReLU, MAE, hinge...) have kinks where no derivative exists; a coordinate whose
 * ±ε step crosses one gives a meaningless difference. Such coordinates are recognised because their differences
 * at ε and ε/2 disagree (on a smooth stretch both estimate the same slope), and are counted apart, not compared.
 *
 * <pre>See Goodfellow, Bengio, Courville, "Deep Learning", §11.5 (Debugging strategies: gradient checking)</pre>
 */
public final class GradientCheck {
  /** Default step; large enough that float32 rounding is far below the signal. */
  public static final double DEFAULT_EPSILON = 1e-2;
  /** Default tolerance on the relative error. */
  public static final double DEFAULT_TOLERANCE = 1e-2;

  /**
   * Below this magnitude errors are measured absolutely: float32 rounding puts ~1e-5 of noise on the differences,
   * which would dominate the relative error of a gradient near zero.
   */
  static final double FLOOR = 0.1;

  private final double eps;
  private final double tol;

  public GradientCheck() {
    this(DEFAULT_EPSILON, DEFAULT_TOLERANCE);
  }

  public GradientCheck(double eps, double tol) {
    this.eps = eps;
    this.tol = tol;
  }

  /**
   * The outcome.
   *
   * @param maxRelativeError worst {@code |a − n| / max(|a|, |n|, 0.1)} over the compared coordinates
   * @param worst the coordinate with that error, e.g. {@code "0/W[5]"} or {@code "input[3]"}
   * @param compared coordinates compared
   * @param kinks coordinates skipped because a kink lies within ±ε
   */
  public record Result(double maxRelativeError, String worst, double analytic, double numeric, int compared,
      int kinks, double tolerance) {
    public boolean passed() {
      return maxRelativeError <= tolerance && compared > 0;
    }

    @Override
    public String toString() {
      return String.format("max relative error %.3g at %s (analytic %.6g, numeric %.6g); %d compared, %d at kinks",
          maxRelativeError, worst, analytic, numeric, compared, kinks);
    }
  }

  /**
   * Checks the gradient of {@code Σ loss} over a batch w.r.t. the parameters and the input.
   *
   * @param x {@code [batch, inputSize]}
   * @param y {@code [batch, targetWidth]}
   * @param seed the pass seed, the same for every evaluation (fixes dropout masks)
   */
  public Result check(Network net, Loss loss, float[] params, float[] state, float[] x, float[] y, int batch,
      long seed) {
    Objective objective = new Objective(net, loss);
    Workspace ws = net.newWorkspace(batch, true);
    float[] grad = new float[params.length];
    System.arraycopy(x, 0, ws.input(), 0, x.length);
    objective.accumulateGradient(ws, params, state, y, null, batch, seed, grad, new BatchStats());
    float[] dx = ws.inputGradient().clone();
    float[] xs = x.clone();
    Acc acc = new Acc();
    for (ParamLayout.Block b : net.layout().paramBlocks()) {
      for (int i = b.offset(); i < b.offset() + b.size(); i++) {
        final int k = i;
        compare(acc, b.name() + "[" + (i - b.offset()) + "]", grad[i], h -> {
          float old = params[k];
          params[k] = (float) (old + h);
          double l = lossSum(objective, ws, params, state, xs, y, batch, seed);
          params[k] = old;
          return l;
        });
      }
    }
    for (int i = 0; i < x.length; i++) {
      final int k = i;
      compare(acc, "input[" + i + "]", dx[i], h -> {
        float old = xs[k];
        xs[k] = (float) (old + h);
        double l = lossSum(objective, ws, params, state, xs, y, batch, seed);
        xs[k] = old;
        return l;
      });
    }
    return new Result(acc.max, acc.worst, acc.a, acc.n, acc.compared, acc.kinks, tol);
  }

  private interface Perturbed {
    double loss(double h);
  }

  private static final class Acc {
    double max;
    String worst = "-";
    double a;
    double n;
    int compared;
    int kinks;
  }

  private void compare(Acc acc, String name, double analytic, Perturbed f) {
    double n1 = (f.loss(eps) - f.loss(-eps)) / (2 * eps);
    double n2 = (f.loss(eps / 2) - f.loss(-eps / 2)) / eps;
    if (relative(n1, n2) > tol) {
      acc.kinks++;
      return;
    }
    double err = relative(analytic, n2);
    acc.compared++;
    if (err > acc.max || acc.worst.equals("-")) {
      acc.max = err;
      acc.worst = name;
      acc.a = analytic;
      acc.n = n2;
    }
  }

  private static double relative(double a, double b) {
    return Math.abs(a - b) / Math.max(FLOOR, Math.max(Math.abs(a), Math.abs(b)));
  }

  private static double lossSum(Objective o, Workspace ws, float[] params, float[] state, float[] x, float[] y,
      int batch, long seed) {
    System.arraycopy(x, 0, ws.input(), 0, x.length);
    BatchStats s = new BatchStats();
    o.accumulateLoss(ws, params, state, y, null, batch, seed, s);
    return s.lossSum;
  }
}
