package io.treeprop.core.optim;

/**
 * A line search for a step length α along a descent direction d that satisfies the strong Wolfe conditions
 *
 * <pre>
 * φ(α) ≤ φ(0) + c₁ α φ'(0)        (sufficient decrease)
 * |φ'(α)| ≤ c₂ |φ'(0)|            (curvature)
 * with φ(α) = f(x + α d), φ'(α) = ∇f(x + α d) · d, c₁ = 1e-4, c₂ = 0.9
 * </pre>
 *
 * Nocedal &amp; Wright, Numerical Optimization (2nd ed.), Algorithm 3.5 (bracketing, doubling the trial step) and
 * Algorithm 3.6 (zoom), the trial inside a bracket by cubic interpolation (eq. 3.59) kept at least a tenth of the
 * bracket from its ends, bisection when the cubic has no minimizer there. A trial point whose loss is not finite
 * counts as too far (the bracket shrinks towards the start).
 */
final class WolfeLineSearch {
  static final double C1 = 1e-4;
  static final double C2 = 0.9;
  /** Function evaluations one search may spend. */
  static final int MAX_EVALUATIONS = 25;
  private static final double MAX_GROWTH = 1e10;

  private WolfeLineSearch() {}

  /** One trial: the step, the point, φ and φ'. */
  record Trial<T>(double alpha, LbfgsSolver.Point<T> point, double phi, double slope) {}

  /**
   * @param accepted the step satisfying both conditions, or null when none was found in
   *     {@link #MAX_EVALUATIONS} evaluations
   */
  record Result<T>(Trial<T> accepted, int evaluations) {}

  /**
   * Searches along {@code d} from {@code start}.
   *
   * @param slope0 φ'(0) = g · d, negative
   * @param alpha1 the first trial step
   */
  static <T> Result<T> search(LbfgsSolver.Function<T> f, LbfgsSolver.Point<T> start, double[] d, double slope0,
      double alpha1) {
    Trial<T> zero = new Trial<>(0, start, start.f(), slope0);
    Trial<T> prev = zero;
    double alpha = alpha1;
    for (int evals = 1; evals <= MAX_EVALUATIONS; evals++) {
      Trial<T> cur = trial(f, start, d, alpha);
      if (!armijo(cur, zero) || (prev != zero && cur.phi() >= prev.phi())) {
        return zoom(f, start, d, zero, prev, cur, evals);
      }
      if (curvature(cur, zero)) {
        return new Result<>(cur, evals);
      }
      if (cur.slope() >= 0) {
        return zoom(f, start, d, zero, cur, prev, evals);
      }
      prev = cur;
      alpha = Math.min(2 * alpha, alpha1 * MAX_GROWTH);
    }
    return new Result<>(null, MAX_EVALUATIONS);
  }

  /** Algorithm 3.6: {@code lo} satisfies sufficient decrease and has the lowest φ so far; α lies between. */
  private static <T> Result<T> zoom(LbfgsSolver.Function<T> f, LbfgsSolver.Point<T> start, double[] d,
      Trial<T> zero, Trial<T> lo, Trial<T> hi, int evals) {
    while (evals < MAX_EVALUATIONS) {
      double alpha = cubicMinimizer(lo, hi);
      if (alpha == lo.alpha() || alpha == hi.alpha()) {
        break; // the bracket is below double resolution
      }
      Trial<T> cur = trial(f, start, d, alpha);
      evals++;
      if (!armijo(cur, zero) || cur.phi() >= lo.phi()) {
        hi = cur;
      } else {
        if (curvature(cur, zero)) {
          return new Result<>(cur, evals);
        }
        if (cur.slope() * (hi.alpha() - lo.alpha()) >= 0) {
          hi = lo;
        }
        lo = cur;
      }
    }
    return new Result<>(null, evals);
  }

  /**
   * The minimizer of the cubic through φ and φ' at both ends (N&amp;W eq. 3.59), kept at least 10 % of the
   * interval from either end; the midpoint when the cubic has no minimizer or a value is not finite.
   */
  static double cubicMinimizer(Trial<?> a, Trial<?> b) {
    double lo = Math.min(a.alpha(), b.alpha());
    double hi = Math.max(a.alpha(), b.alpha());
    double margin = 0.1 * (hi - lo);
    double d1 = a.slope() + b.slope() - 3 * (a.phi() - b.phi()) / (a.alpha() - b.alpha());
    double disc = d1 * d1 - a.slope() * b.slope();
    double alpha = Double.NaN;
    if (disc >= 0) {
      double d2 = Math.signum(b.alpha() - a.alpha()) * Math.sqrt(disc);
      alpha = b.alpha() - (b.alpha() - a.alpha()) * (b.slope() + d2 - d1) / (b.slope() - a.slope() + 2 * d2);
    }
    if (!Double.isFinite(alpha) || alpha < lo + margin || alpha > hi - margin) {
      return 0.5 * (lo + hi);
    }
    return alpha;
  }

  private static boolean armijo(Trial<?> t, Trial<?> zero) {
    return t.phi() <= zero.phi() + C1 * t.alpha() * zero.slope();
  }

  private static boolean curvature(Trial<?> t, Trial<?> zero) {
    return Math.abs(t.slope()) <= -C2 * zero.slope();
  }

  private static <T> Trial<T> trial(LbfgsSolver.Function<T> f, LbfgsSolver.Point<T> start, double[] d,
      double alpha) {
    float[] x0 = start.x();
    float[] x = new float[x0.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (x0[i] + alpha * d[i]);
    }
    LbfgsSolver.Point<T> p = f.at(x);
    double phi = Double.isFinite(p.f()) ? p.f() : Double.POSITIVE_INFINITY;
    double slope = phi == Double.POSITIVE_INFINITY ? Double.NaN : LbfgsSolver.dot(p.g(), d);
    return new Trial<>(alpha, p, phi, slope);
  }
}
