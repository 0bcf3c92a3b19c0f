package io.treeprop.core.optim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of full-batch L-BFGS ({@link Lbfgs} has the settings and references): the correction pairs and the
 * iteration count, advanced one iteration at a time by {@link #iterate}. The trainers differ only in the
 * {@link Function} they give it (the local rows, or one Spark aggregation over every partition).
 *
 * <p>Vectors are float, as parameters and gradients are; dot products and the search direction are double.
 * The current point is not part of the state: a resumed run evaluates it again, which gives the same loss and
 * gradient bit for bit because an evaluation is a pure function of the weights.
 */
public final class LbfgsSolver {
  private final Lbfgs config;
  /** Oldest first: {s, y} with s = x₊ − x, y = g₊ − g. */
  private final ArrayDeque<float[][]> pairs = new ArrayDeque<>();
  private long iterations;

  /** The loss and its gradient at a point. */
  @FunctionalInterface
  public interface Function<T> {
    /** Evaluates at {@code x} (a fresh array the point may keep). */
    Point<T> at(float[] x);
  }

  /**
   * An evaluated point.
   *
   * @param f the objective (non-finite values make the line search step back)
   * @param g its gradient, same length as x
   * @param info what the caller wants back with the point (metrics, new running statistics)
   */
  public record Point<T>(float[] x, double f, float[] g, T info) {}

  /**
   * One iteration's outcome.
   *
   * @param point the new point (the start when the line search failed)
   * @param stepLength the accepted α along the direction (0 when none)
   * @param slope0 φ'(0) along the direction taken
   * @param slope φ'(α) at the accepted point
   * @param stop why to stop after this iteration (converged, or no acceptable step), or null to go on
   */
  public record Step<T>(Point<T> point, double stepLength, int evaluations, double slope0, double slope,
      String stop) {}

  /**
   * Continues from a saved history.
   *
   * @param saved {@link #state} of an earlier run with the same settings, or a fresh
   *     {@code config.newState(n)}
   * @throws IllegalArgumentException when it holds an odd number of vectors or more pairs than historySize
   */
  public LbfgsSolver(Lbfgs config, OptimizerState saved) {
    this.config = config;
    float[][] v = saved.slots();
    if (v.length % 2 != 0 || v.length > 2 * config.historySize()) {
      throw new IllegalArgumentException("lbfgs state holds " + v.length + " vectors; expected pairs (s, y), at "
          + "most " + config.historySize() + " of them (historySize)");
    }
    for (int i = 0; i < v.length; i += 2) {
      pairs.addLast(new float[][] {v[i], v[i + 1]});
    }
    this.iterations = saved.step();
  }

  /** Iterations done and the pairs oldest first ({@code s₁, y₁, s₂, y₂, …}): what a checkpoint saves. */
  public OptimizerState state() {
    float[][] v = new float[2 * pairs.size()][];
    int i = 0;
    for (float[][] p : pairs) {
      v[i++] = p[0];
      v[i++] = p[1];
    }
    return new OptimizerState(iterations, v);
  }

  /** Correction pairs held now. */
  public int historyLength() {
    return pairs.size();
  }

  /**
   * One iteration from {@code from}: direction by the two-loop recursion (steepest descent when there is no
   * history, or the recursion's direction does not descend), a strong-Wolfe line search, a new pair. When the
   * search finds no step, the history is dropped and steepest descent is tried once more before giving up.
   */
  public <T> Step<T> iterate(Point<T> from, Function<T> f) {
    double gNorm = Math.sqrt(dot(from.g(), from.g()));
    if (gNorm == 0) {
      return new Step<>(from, 0, 0, 0, 0, "converged: the gradient is zero");
    }
    int spent = 0;
    while (true) {
      double[] d = direction(from.g());
      double slope0 = dot(from.g(), d);
      if (!(slope0 < 0)) {
        pairs.clear();
        d = direction(from.g());
        slope0 = dot(from.g(), d);
      }
      double alpha1 = pairs.isEmpty() ? 1 / gNorm : 1;
      WolfeLineSearch.Result<T> r = WolfeLineSearch.search(f, from, d, slope0, alpha1);
      spent += r.evaluations();
      if (r.accepted() != null) {
        iterations++;
        Point<T> to = r.accepted().point();
        remember(from, to);
        return new Step<>(to, r.accepted().alpha(), spent, slope0, r.accepted().slope(), converged(from, to));
      }
      if (pairs.isEmpty()) {
        iterations++;
        return new Step<>(from, 0, spent, slope0, slope0, "stopped: no step along the gradient satisfies the "
            + "Wolfe conditions (" + spent + " evaluations); the loss is flat to float precision here");
      }
      pairs.clear();
    }
  }

  private String converged(Point<?> from, Point<?> to) {
    double scale = Math.max(1, Math.max(Math.abs(from.f()), Math.abs(to.f())));
    double decrease = (from.f() - to.f()) / scale;
    if (decrease <= config.tolerance()) {
      return String.format("converged: iteration %d lowered the loss by %.3g of it (tolerance %.3g)", iterations,
          decrease, config.tolerance());
    }
    double gNorm = Math.sqrt(dot(to.g(), to.g()));
    if (gNorm <= config.tolerance()) {
      return String.format("converged: the gradient norm is %.3g after iteration %d (tolerance %.3g)", gNorm,
          iterations, config.tolerance());
    }
    return null;
  }

  /** Adds this step's pair when its curvature {@code s·y} is positive (strong Wolfe ensures it, up to rounding). */
  private void remember(Point<?> from, Point<?> to) {
    int n = from.x().length;
    float[] s = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      s[i] = to.x()[i] - from.x()[i];
      y[i] = to.g()[i] - from.g()[i];
    }
    if (!(dot(s, y) > 0)) {
      return;
    }
    if (pairs.size() == config.historySize()) {
      pairs.removeFirst();
    }
    pairs.addLast(new float[][] {s, y});
  }

  /**
   * {@code d = −H g}, Nocedal &amp; Wright Algorithm 7.4, with {@code H₀ = (s·y / y·y) I} from the newest pair
   * (eq. 7.20); {@code −g} without pairs.
   */
  double[] direction(float[] g) {
    int k = pairs.size();
    double[] q = new double[g.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = g[i];
    }
    double[] a = new double[k];
    double[] rho = new double[k];
    List<float[][]> p = new ArrayList<>(pairs);
    for (int i = k - 1; i >= 0; i--) {
      float[] s = p.get(i)[0];
      float[] y = p.get(i)[1];
      rho[i] = 1 / dot(s, y);
      a[i] = rho[i] * dot(s, q);
      axpy(-a[i], y, q);
    }
    if (k > 0) {
      float[] y = p.get(k - 1)[1];
      double gamma = dot(p.get(k - 1)[0], y) / dot(y, y);
      for (int i = 0; i < q.length; i++) {
        q[i] *= gamma;
      }
    }
    for (int i = 0; i < k; i++) {
      double b = rho[i] * dot(p.get(i)[1], q);
      axpy(a[i] - b, p.get(i)[0], q);
    }
    for (int i = 0; i < q.length; i++) {
      q[i] = -q[i];
    }
    return q;
  }

  private static void axpy(double a, float[] x, double[] y) {
    for (int i = 0; i < y.length; i++) {
      y[i] += a * x[i];
    }
  }

  static double dot(float[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
