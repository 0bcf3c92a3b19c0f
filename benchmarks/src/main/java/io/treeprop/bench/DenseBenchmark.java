package io.treeprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.tensor.Blas;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Objective;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Dense forward + backward at batch 256 next to plain sgemm of the same shapes, in the same run.
 *
 * <ul>
 *   <li>{@code dense}: one 784→256 dense layer, forward then backward (dW, db, dX) through Treeprop.
 *   <li>{@code denseSgemm}: the same three products as raw BLAS calls: the ceiling for {@code dense}.
 *   <li>{@code mlp}: a full 784-256-128-10 ReLU/softmax training pass (forward, loss, backward).
 *   <li>{@code mlpSgemm}: the eight products of that pass as raw BLAS calls.
 * </ul>
 *
 * Run: {@code java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar} (prints a GFLOP/s
 * table after JMH's own output).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 9, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class DenseBenchmark {
  static final int B = 256;
  static final int[] MLP = {784, 256, 128, 10};

  private final BLAS blas = BLAS.getInstance();
  private Network dense;
  private Workspace denseWs;
  private float[] denseParams;
  private float[] denseGrad;
  private Objective mlp;
  private Workspace mlpWs;
  private float[] mlpParams;
  private float[] mlpGrad;
  private float[] labels;
  private float[][] x;
  private float[][] w;
  private float[][] y;
  private float[][] g;
  private float[][] dx;

  @Setup
  public void setup() {
    SplittableRandom rng = new SplittableRandom(1);
    dense = NetworkSpec.input(784).dense(256).compile();
    denseWs = dense.newWorkspace(B, true); // dX too, as for a hidden layer
    fill(denseWs.input(), rng);
    fill(denseWs.delta(0), rng);
    denseParams = dense.initParams(1);
    denseGrad = new float[denseParams.length];

    Network net = NetworkSpec.input(784).dense(256).relu().dense(128).relu().dense(10).softmax().compile();
    mlp = new Objective(net, new Losses.CategoricalCrossEntropy());
    mlpWs = net.newWorkspace(B, false);
    fill(mlpWs.input(), rng);
    mlpParams = net.initParams(1);
    mlpGrad = new float[mlpParams.length];
    labels = new float[B];
    for (int i = 0; i < B; i++) {
      labels[i] = i % 10;
    }
    x = new float[MLP.length][];
    w = new float[MLP.length][];
    y = new float[MLP.length][];
    g = new float[MLP.length][];
    dx = new float[MLP.length][];
    for (int l = 0; l + 1 < MLP.length; l++) {
      x[l] = new float[B * MLP[l]];
      w[l] = new float[MLP[l] * MLP[l + 1]];
      y[l] = new float[B * MLP[l + 1]];
      g[l] = new float[w[l].length];
      dx[l] = new float[x[l].length];
      fill(x[l], rng);
      fill(w[l], rng);
      fill(y[l], rng);
    }
  }

  private static void fill(float[] a, SplittableRandom rng) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rng.nextDouble(-1, 1);
    }
  }

  @Benchmark
  public float[] dense() {
    dense.forward(denseWs, denseParams, new float[0], B, true, 0);
    dense.backward(denseWs, denseGrad, 1);
    return denseGrad;
  }

  @Benchmark
  public float[] denseSgemm() {
    threeProducts(0, false);
    return g[0];
  }

  @Benchmark
  public float[] mlp() {
    mlp.accumulateGradient(mlpWs, mlpParams, new float[0], labels, null, B, 0, mlpGrad, new BatchStats());
    return mlpGrad;
  }

  @Benchmark
  public float[] mlpSgemm() {
    for (int l = 0; l + 1 < MLP.length; l++) {
      threeProducts(l, l == 0);
    }
    return g[0];
  }

  /**
   * Column-major calls for row-major Y = X·W, dW += Xᵀ·dY, dX = dY·Wᵀ (dX skipped for the input layer); Y's
   * buffer stands in for dY, the products are what matters.
   */
  private void threeProducts(int l, boolean skipInputGradient) {
    int in = MLP[l];
    int out = MLP[l + 1];
    blas.sgemm("N", "N", out, B, in, 1f, w[l], 0, out, x[l], 0, in, 0f, y[l], 0, out);
    blas.sgemm("N", "T", out, in, B, 1f, y[l], 0, out, x[l], 0, in, 1f, g[l], 0, out);
    if (!skipInputGradient) {
      blas.sgemm("T", "N", in, B, out, 1f, w[l], 0, out, y[l], 0, out, 0f, dx[l], 0, in);
    }
  }

  /** FLOPs of one call of each benchmark. */
  static double flops(String benchmark) {
    double denseLayer = 2.0 * B * 784 * 256;
    return switch (benchmark) {
      case "dense", "denseSgemm" -> 3 * denseLayer;
      case "mlp", "mlpSgemm" -> {
        double f = 0;
        for (int l = 0; l + 1 < MLP.length; l++) {
          f += (l == 0 ? 2 : 3) * 2.0 * B * MLP[l] * MLP[l + 1];
        }
        yield f;
      }
      default -> throw new IllegalArgumentException(benchmark);
    };
  }

  public static void main(String[] args) throws Exception {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(DenseBenchmark.class.getName() + "\\.(dense|denseSgemm|mlp|mlpSgemm)$").build()).run();
    List<String> lines = new ArrayList<>();
    java.util.Map<String, Double> gflops = new java.util.HashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      double micros = r.getPrimaryResult().getScore();
      double g = flops(name) / (micros * 1e-6) / 1e9;
      gflops.put(name, g);
      lines.add(String.format("%-11s %10.1f us/op %8.1f GFLOP/s", name, micros, g));
    }
    System.out.println();
    System.out.println("BLAS: " + Blas.implementation() + "; batch " + B + "; JMH average of "
        + "9 one-second iterations after 5 of warm-up");
    lines.forEach(System.out::println);
    System.out.printf("dense fwd+bwd / sgemm of the same shapes: %.0f %%%n",
        100 * gflops.get("dense") / gflops.get("denseSgemm"));
    System.out.printf("784-256-128-10 training pass / its sgemm: %.0f %%%n",
        100 * gflops.get("mlp") / gflops.get("mlpSgemm"));
  }
}
