package io.treeprop.bench;

import dev.ludovic.netlib.blas.JavaBLAS;
import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.ConvVariants;
import io.treeprop.core.layer.Padding;
import io.treeprop.core.layer.Size2;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.tensor.Shape;
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

/**
 * A 64→64-channel 3×3 same convolution on 14×14 images, forward + backward (dW, db, dX) at batch 256, its
 * variants, and the sgemm ceiling of its own products, all in one JMH run (the machine is shared: compare only
 * within a run).
 *
 * <ul>
 *   <li>{@code conv}: the {@code conv2d} layer as compiled from its spec (im2col, sgemm, col2im).
 *   <li>{@code convChunk4}, {@code convChunk8}: the layer with the patch matrices of 4 or 8 samples side by side,
 *       one sgemm per product for the chunk (N = 4·196 or 8·196), outputs copied to their NCHW rows.
 *   <li>{@code convSgemm}: the per-sample products ({@code [64, 576]·[576, 196]}, {@code [64, 196]·[196, 576]},
 *       {@code [576, 64]·[64, 196]}) 256 times as plain calls: the ceiling of {@code conv}.
 *   <li>{@code convSgemmChunk8}: the same FLOPs as 32 chunk-of-8 products: the ceiling of {@code convChunk8}.
 *   <li>{@code convSgemmVectorApi}: the per-sample products with the JDK Vector API sgemm of
 *       {@code dev.ludovic.netlib}, for 32 samples (it is slow) — the speed a direct convolution in the Vector API would have to beat, doing
 *       the same multiply-adds with less regular memory access.
 *   <li>{@code copiesRows}, {@code copiesSpans}: what the layer copies without the products (im2col twice and
 *       col2im per sample), one output row per copy (the general loop) or one span per patch row;
 *       {@code copiesNhwc}: the same for an NHWC layout (one 64-float copy per pixel and tap), without the
 *       layout transposes it would add.
 * </ul>
 *
 * Run: {@code bin/jmh ConvBenchmark} (JMH options after it, e.g. {@code -wi 3 -i 5}).
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

  private LayerRun conv;
  private LayerRun chunk4;
  private LayerRun chunk8;
  private Gemms perSample;
  private Gemms perChunk8;
  private Gemms perSampleOf32;
  private final JavaBLAS vectorBlas = JavaBLAS.getInstance();
  private float[] x;
  private float[] col;
  private float[] dx;

  /** A one-layer network with its workspace, parameters and random input and output gradient. */
  record LayerRun(Network net, Workspace ws, float[] params, float[] state, float[] grad) {
    static LayerRun of(Network net, long seed) {
      Workspace ws = net.newWorkspace(B, true);
      SplittableRandom rng = new SplittableRandom(seed);
      fill(ws.input(), rng);
      fill(ws.delta(net.layers().size() - 1), rng);
      float[] params = net.initParams(seed);
      return new LayerRun(net, ws, params, net.initState(), new float[params.length]);
    }

    float[] forwardBackward() {
      net.forward(ws, params, state, B, true, 0);
      net.backward(ws, grad, net.layers().size());
      return grad;
    }
  }

  static float[] fill(float[] a, SplittableRandom rng) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rng.nextDouble(-1, 1);
    }
    return a;
  }

  @Setup
  public void setup() {
    Shape in = Shape.image(C, HW, HW);
    conv = LayerRun.of(new NetworkSpec(in, List.of(new Conv2dSpec(C, Size2.of(3), null, Padding.SAME, null,
        null))).compile(), 1);
    chunk4 = LayerRun.of(new Network(in, List.of(ConvVariants.sameConv(in, C, 3, 4))), 1);
    chunk8 = LayerRun.of(new Network(in, List.of(ConvVariants.sameConv(in, C, 3, 8))), 1);
    perSample = new Gemms().conv(B, 1, C, K, P, true);
    perChunk8 = new Gemms().conv(B, 8, C, K, P, true);
    perSampleOf32 = new Gemms().conv(B / 8, 1, C, K, P, true);
    SplittableRandom rng = new SplittableRandom(2);
    x = fill(new float[B * C * P], rng);
    col = new float[K * P];
    dx = new float[x.length];
  }

  @Benchmark
  public float[] conv() {
    return conv.forwardBackward();
  }

  @Benchmark
  public float[] convChunk4() {
    return chunk4.forwardBackward();
  }

  @Benchmark
  public float[] convChunk8() {
    return chunk8.forwardBackward();
  }

  @Benchmark
  public float[] convSgemm() {
    return perSample.run();
  }

  @Benchmark
  public float[] convSgemmChunk8() {
    return perChunk8.run();
  }

  @Benchmark
  public float[] convSgemmVectorApi() {
    return perSampleOf32.run(vectorBlas);
  }

  @Benchmark
  public float[] copiesRows() {
    ConvVariants.copies(false, x, col, dx, B, C, HW, HW, 3);
    return dx;
  }

  @Benchmark
  public float[] copiesSpans() {
    ConvVariants.copies(true, x, col, dx, B, C, HW, HW, 3);
    return dx;
  }

  @Benchmark
  public float[] copiesNhwc() {
    ConvVariants.copiesNhwc(x, col, dx, B, C, HW, HW, 3);
    return dx;
  }

  public static void main(String[] args) throws Exception {
    Collection<RunResult> results = Jmh.run(ConvBenchmark.class, args);
    double flops = new Gemms().conv(B, 1, C, K, P, true).flops();
    Jmh.Table t = new Jmh.Table(results, "batch " + B + ", 64->64 channels 3x3 same on 14x14, forward + backward");
    t.gflops("conv", flops, "convSgemm");
    t.gflops("convChunk4", flops, "convSgemm");
    t.gflops("convChunk8", flops, "convSgemm");
    t.gflops("convSgemm", flops, null);
    t.gflops("convSgemmChunk8", flops, "convSgemm");
    t.gflops("convSgemmVectorApi", flops / 8, null);
    t.time("copiesRows");
    t.time("copiesSpans");
    t.time("copiesNhwc");
    t.print();
  }
}
