package io.treeprop.bench;

import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.Padding;
import io.treeprop.core.layer.Size2;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.tensor.Blas;
import io.treeprop.core.tensor.Shape;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * A 64→64-channel 3×3 same convolution on 14×14 images, forward + backward (dW, db, dX) at batch 256, next to the
 * sgemm ceiling of its own products in the same run.
 *
 * <ul>
 *   <li>{@code conv}: the {@code conv2d} layer through Treeprop (im2col per sample, three sgemm per sample,
 *       col2im).
 *   <li>{@code convSgemm}: the same three products per sample ({@code [64, 576]·[576, 196]},
 *       {@code [64, 196]·[196, 576]}, {@code [576, 64]·[64, 196]}) as plain calls, without im2col/col2im.
 * </ul>
 *
 * Run: {@code java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * io.treeprop.bench.ConvBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ConvBenchmark {
  static final int B = 256;
  static final int C = 64;
  static final int HW = 14;
  static final int K = C * 9;
  static final int P = HW * HW;

  private Network net;
  private Workspace ws;
  private float[] params;
  private float[] grad;
  private float[] w;
  private float[] col;
  private float[] y;

  @Setup
  public void setup() {
    net = new NetworkSpec(Shape.image(C, HW, HW), List.of(new Conv2dSpec(C, Size2.of(3), null, Padding.SAME, null,
        null))).compile();
    ws = net.newWorkspace(B, true);
    params = net.initParams(1);
    grad = new float[params.length];
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < ws.input().length; i++) {
      ws.input()[i] = (float) rng.nextDouble(-1, 1);
    }
    for (int i = 0; i < ws.delta(0).length; i++) {
      ws.delta(0)[i] = (float) rng.nextDouble(-1, 1);
    }
    w = params.clone();
    col = new float[K * P];
    y = new float[C * P];
    for (int i = 0; i < col.length; i++) {
      col[i] = (float) rng.nextDouble(-1, 1);
    }
  }

  @Benchmark
  public float[] conv() {
    net.forward(ws, params, new float[0], B, true, 0);
    net.backward(ws, grad, 1);
    return grad;
  }

  @Benchmark
  public float[] convSgemm() {
    for (int r = 0; r < B; r++) {
      Blas.gemm(false, false, C, P, K, 1f, w, 0, col, 0, 0f, y, 0);
      Blas.gemm(false, true, C, K, P, 1f, y, 0, col, 0, 1f, grad, 0);
      Blas.gemm(true, false, K, P, C, 1f, w, 0, y, 0, 0f, col, 0);
    }
    return grad;
  }

  /** FLOPs of one call of either benchmark: three products of 2·64·576·196 per sample. */
  static double flops() {
    return 3 * 2.0 * B * C * K * P;
  }

  public static void main(String[] args) throws Exception {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(ConvBenchmark.class.getName() + "\\.(conv|convSgemm)$").build()).run();
    Map<String, Double> gflops = new HashMap<>();
    System.out.println();
    System.out.println("BLAS: " + Blas.implementation() + "; batch " + B + ", 64->64 channels 3x3 same on 14x14");
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      double millis = r.getPrimaryResult().getScore();
      double g = flops() / (millis * 1e-3) / 1e9;
      gflops.put(name, g);
      System.out.printf("%-10s %10.1f ms/op %8.1f GFLOP/s%n", name, millis, g);
    }
    System.out.printf("conv2d fwd+bwd / sgemm of its products: %.0f %%%n",
        100 * gflops.get("conv") / gflops.get("convSgemm"));
  }
}
