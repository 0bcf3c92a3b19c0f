package io.treeprop.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** L-BFGS and its strong-Wolfe line search on problems with known minimizers. */
class LbfgsSolverTest {
  /** f(x) = ½ xᵀAx − bᵀx with A = QᵀDQ (eigenvalues 1..100), b = A x*: the minimizer is x*. */
  private static final int N = 30;
  private final double[][] a = new double[N][N];
  private final double[] xStar = new double[N];
  private final double[] b = new double[N];

  LbfgsSolverTest() {
    SplittableRandom rng = new SplittableRandom(11);
    double[][] m = new double[N][N];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        m[i][j] = rng.nextDouble(-1, 1);
      }
      xStar[i] = rng.nextDouble(-2, 2);
    }
    // A = Mᵀ M / N + I: symmetric positive definite, condition number in the tens
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        double s = i == j ? 1 : 0;
        for (int k = 0; k < N; k++) {
          s += m[k][i] * m[k][j] / N * 10;
        }
        a[i][j] = s;
      }
    }
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        b[i] += a[i][j] * xStar[j];
      }
    }
  }

  private LbfgsSolver.Point<Void> quadratic(float[] x) {
    double f = 0;
    float[] g = new float[N];
    for (int i = 0; i < N; i++) {
      double ax = 0;
      for (int j = 0; j < N; j++) {
        ax += a[i][j] * x[j];
      }
      f += 0.5 * x[i] * ax - b[i] * x[i];
      g[i] = (float) (ax - b[i]);
    }
    return new LbfgsSolver.Point<>(x, f, g, null);
  }

  @Test
  void convergesToTheQuadraticsMinimizerAndEveryStepSatisfiesStrongWolfe() {
    LbfgsSolver solver = new LbfgsSolver(new Lbfgs(5, 1e-12), new Lbfgs().newState(N));
    LbfgsSolver.Point<Void> at = quadratic(new float[N]);
    List<LbfgsSolver.Step<Void>> steps = new ArrayList<>();
    for (int it = 0; it < 200; it++) {
      LbfgsSolver.Point<Void> from = at;
      LbfgsSolver.Step<Void> s = solver.iterate(from, this::quadratic);
      steps.add(s);
      if (s.stepLength() > 0) {
        assertWolfe(from, s);
      }
      at = s.point();
      if (s.stop() != null) {
        break;
      }
    }
    double maxErr = 0;
    for (int i = 0; i < N; i++) {
      maxErr = Math.max(maxErr, Math.abs(at.x()[i] - xStar[i]));
    }
    assertTrue(maxErr < 2e-5, "max |x − x*| = " + maxErr + " after " + steps.size() + " iterations");
    // a quasi-Newton method on a 30-dimensional quadratic: far fewer iterations than gradient descent's hundreds
    assertTrue(steps.size() < 60, steps.size() + " iterations");
    assertTrue(steps.stream().filter(s -> s.stepLength() > 0).count() >= steps.size() - 1);
  }

  /** The conditions at the accepted step, with φ'(0) checked against the step the point actually moved. */
  private static void assertWolfe(LbfgsSolver.Point<Void> from, LbfgsSolver.Step<Void> s) {
    double alpha = s.stepLength();
    float[] x0 = from.x();
    float[] x1 = s.point().x();
    double slope0 = 0;
    double moved = 0;
    for (int i = 0; i < x0.length; i++) {
      slope0 += from.g()[i] * ((double) x1[i] - x0[i]) / alpha;
      moved += Math.abs(x1[i] - x0[i]);
    }
    assertTrue(moved > 0);
    assertEquals(s.slope0(), slope0, 1e-3 * Math.abs(s.slope0()) + 1e-9, "φ'(0) along the step taken");
    assertTrue(s.slope0() < 0, "descent direction");
    assertTrue(s.point().f() <= from.f() + WolfeLineSearch.C1 * alpha * s.slope0(),
        "sufficient decrease: " + s.point().f() + " vs " + from.f());
    assertTrue(Math.abs(s.slope()) <= WolfeLineSearch.C2 * Math.abs(s.slope0()),
        "curvature: |" + s.slope() + "| vs " + s.slope0());
  }

  private static LbfgsSolver.Point<Void> rosenbrock(float[] x) {
    double u = x[0];
    double v = x[1];
    double f = 100 * (v - u * u) * (v - u * u) + (1 - u) * (1 - u);
    float[] g = {(float) (-400 * u * (v - u * u) - 2 * (1 - u)), (float) (200 * (v - u * u))};
    return new LbfgsSolver.Point<>(x, f, g, null);
  }

  @Test
  void findsRosenbrocksMinimumFromTheClassicStart() {
    LbfgsSolver solver = new LbfgsSolver(new Lbfgs(), new Lbfgs().newState(2));
    LbfgsSolver.Point<Void> at = rosenbrock(new float[] {-1.2f, 1f});
    int it = 0;
    while (it++ < 100) {
      LbfgsSolver.Step<Void> s = solver.iterate(at, LbfgsSolverTest::rosenbrock);
      assertTrue(s.point().f() <= at.f(), "monotone decrease");
      at = s.point();
      if (s.stop() != null) {
        break;
      }
    }
    assertEquals(1.0, at.x()[0], 2e-3);
    assertEquals(1.0, at.x()[1], 4e-3);
    assertTrue(it < 60, it + " iterations");
  }

  @Test
  void resumingFromTheSavedHistoryContinuesExactly() {
    LbfgsSolver whole = new LbfgsSolver(new Lbfgs(3, 0), new Lbfgs().newState(N));
    LbfgsSolver.Point<Void> a1 = quadratic(new float[N]);
    for (int i = 0; i < 8; i++) {
      a1 = whole.iterate(a1, this::quadratic).point();
    }
    LbfgsSolver first = new LbfgsSolver(new Lbfgs(3, 0), new Lbfgs().newState(N));
    LbfgsSolver.Point<Void> a2 = quadratic(new float[N]);
    for (int i = 0; i < 5; i++) {
      a2 = first.iterate(a2, this::quadratic).point();
    }
    OptimizerState saved = first.state();
    assertEquals(5, saved.step());
    assertEquals(6, saved.slots().length, "3 pairs kept");
    LbfgsSolver resumed = new LbfgsSolver(new Lbfgs(3, 0), saved.copy());
    LbfgsSolver.Point<Void> a3 = quadratic(a2.x().clone()); // the current point is evaluated again
    for (int i = 0; i < 3; i++) {
      a3 = resumed.iterate(a3, this::quadratic).point();
    }
    assertArrayEquals(a1.x(), a3.x());
    assertEquals(8, resumed.state().step());
  }

  @Test
  void refusesAHistoryLongerThanTheSettingsAllow() {
    OptimizerState s = new OptimizerState(4, new float[6][N]);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new LbfgsSolver(new Lbfgs(2, 1e-6), s));
    assertTrue(e.getMessage().contains("at most 2"), e.getMessage());
  }

  /** φ(α) = −α / (α² + β), β = 2 (Moré &amp; Thuente 1994, function 1): minimizer √2. */
  private static LbfgsSolver.Point<Void> moreThuente(float[] x) {
    double t = x[0];
    double f = -t / (t * t + 2);
    double g = (t * t - 2) / ((t * t + 2) * (t * t + 2));
    return new LbfgsSolver.Point<>(x, f, new float[] {(float) g}, null);
  }

  @Test
  void lineSearchMeetsStrongWolfeFromSteps1000TimesTooShortAndTooLong() {
    for (double alpha1 : new double[] {1e-3, 1e-1, 1, 10, 1000}) {
      LbfgsSolver.Point<Void> start = moreThuente(new float[] {0f});
      double[] d = {1};
      double slope0 = start.g()[0];
      WolfeLineSearch.Result<Void> r = WolfeLineSearch.search(LbfgsSolverTest::moreThuente, start, d, slope0, alpha1);
      WolfeLineSearch.Trial<Void> t = r.accepted();
      assertNotNull(t, "no step from α₁ = " + alpha1);
      assertTrue(t.phi() <= start.f() + WolfeLineSearch.C1 * t.alpha() * slope0, "α₁ = " + alpha1);
      assertTrue(Math.abs(t.slope()) <= WolfeLineSearch.C2 * Math.abs(slope0), "α₁ = " + alpha1);
      assertTrue(r.evaluations() <= 15, r.evaluations() + " evaluations from α₁ = " + alpha1);
    }
  }

  @Test
  void cubicInterpolationIsExactOnACubic() {
    // φ(α) = (α − 1)³ − 3(α − 1) has its local minimizer at α = 2; φ' = 3(α − 1)² − 3
    WolfeLineSearch.Trial<Void> lo = new WolfeLineSearch.Trial<>(1.2, null, phi(1.2), 3 * 0.04 - 3);
    WolfeLineSearch.Trial<Void> hi = new WolfeLineSearch.Trial<>(3, null, phi(3), 3 * 4 - 3);
    assertEquals(2.0, WolfeLineSearch.cubicMinimizer(lo, hi), 1e-12);
    assertEquals(2.0, WolfeLineSearch.cubicMinimizer(hi, lo), 1e-12);
    // no finite value: bisection
    WolfeLineSearch.Trial<Void> bad = new WolfeLineSearch.Trial<>(4, null, Double.POSITIVE_INFINITY, Double.NaN);
    assertEquals(2.6, WolfeLineSearch.cubicMinimizer(lo, bad), 1e-12);
  }

  private static double phi(double a) {
    return Math.pow(a - 1, 3) - 3 * (a - 1);
  }

  @Test
  void settingsAreValidatedAndReadFromJson() {
    Lbfgs l = io.treeprop.core.model.Json.read("{\"type\":\"lbfgs\",\"historySize\":4}", Optimizer.class,
        "optimizer") instanceof Lbfgs x ? x : null;
    assertEquals(new Lbfgs(4, Lbfgs.DEFAULT_TOLERANCE), l);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new Lbfgs(0, 1e-6));
    assertEquals("lbfgs.historySize (0) must be in [1, 100]", e.getMessage());
    IllegalArgumentException c = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Lbfgs.requireCompatible(new Updater(new Lbfgs(), null, 0, false, 1f)));
    assertTrue(c.getMessage().startsWith("clipNorm (1.0) does not apply to lbfgs"), c.getMessage());
  }
}
