package io.treeprop.bench;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.BatchNormSpec;
import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.ConvVariants;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.Padding;
import io.treeprop.core.layer.PoolSpec;
import io.treeprop.core.layer.ResidualSpec;
import io.treeprop.core.layer.Size2;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.tensor.Shape;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Objective;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;

/**
 * The other image layers and the small CNN, forward + backward at batch 256 on 64 channels of 14×14 (the
 * convolution is {@link ConvBenchmark}), each next to its ceiling in the same run:
 *
 * <ul>
 *   <li>{@code maxPool} (2×2, stride 2) and {@code batchNorm} (training: micro-batch statistics) do no matrix
 *       products; they are reported as memory bandwidth, the bytes of every tensor they must read or write once
 *       (pool: x, y, the window position (a byte) forward, dy, position, dx backward; batch norm: x, y forward,
 *       dy, x, dx backward) per time, against {@code copy}, a {@code System.arraycopy} of one such tensor (read +
 *       write).
 *   <li>{@code residual}: conv 3×3 same → batch norm → relu → conv 3×3 same → batch norm, identity shortcut, relu;
 *       {@code residualSgemm} runs the two convolutions' products.
 *   <li>{@code cnn}: the small CNN's training pass (conv 32 3×3 → relu → max pool 2 → conv 64 3×3 → relu → max
 *       pool 2 → dense 128 → relu → dense 10 → softmax, cross-entropy, all 256 rows in one micro-batch; no input
 *       gradient) on 28×28×1 images; {@code cnnSgemm} runs its products.
 * </ul>
 *
 * Run: {@code bin/jmh ImageBenchmark} (JMH options after it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ImageBenchmark {
  static final int B = 256;
  static final int C = 64;
  static final int HW = 14;
  static final double TENSOR = 4.0 * B * C * HW * HW;

  private ConvBenchmark.LayerRun pool;
  private ConvBenchmark.LayerRun norm;
  private ConvBenchmark.LayerRun residual;
  private Gemms residualProducts;
  private Objective cnn;
  private Workspace cnnWs;
  private float[] cnnParams;
  private float[] cnnGrad;
  private float[] labels;
  private Gemms cnnProducts;
  private float[] src;
  private float[] dst;

  /**
   * Rows per forward pass of the small CNN (its micro-batch); the 256 rows run as ⌈256 / cnnRows⌉ passes, the last
   * one smaller.
   */
  @Param({"256"})
  public int cnnRows;

  @Setup
  public void setup() {
    Shape in = Shape.image(C, HW, HW);
    pool = ConvBenchmark.LayerRun.of(new NetworkSpec(in, List.of(new PoolSpec.MaxPool2d(2))).compile(), 1);
    norm = ConvBenchmark.LayerRun.of(new NetworkSpec(in, List.of(new BatchNormSpec())).compile(), 1);
    LayerSpec conv = new Conv2dSpec(C, Size2.of(3), null, Padding.SAME, null, null);
    LayerSpec relu = new LayerSpec.Activation(ActivationFunction.RELU);
    residual = ConvBenchmark.LayerRun.of(new NetworkSpec(in, List.of(new ResidualSpec(List.of(conv,
        new BatchNormSpec(), relu, conv, new BatchNormSpec()), ActivationFunction.RELU))).compile(), 1);
    int chunk = ConvBenchmark.B % ConvVariants.defaultChunk() == 0 ? ConvVariants.defaultChunk() : 1;
    residualProducts = new Gemms().conv(B, chunk, C, C * 9, HW * HW, true).conv(B, chunk, C, C * 9, HW * HW, true);

    NetworkSpec spec = new NetworkSpec(Shape.image(1, 28, 28), List.of(new Conv2dSpec(32, 3), relu,
        new PoolSpec.MaxPool2d(2), new Conv2dSpec(64, 3), relu, new PoolSpec.MaxPool2d(2), new PoolSpec.Flatten(),
        new LayerSpec.Dense(128), relu, new LayerSpec.Dense(10), new LayerSpec.Activation(ActivationFunction.SOFTMAX)));
    Network net = spec.compile();
    cnn = new Objective(net, new Losses.CategoricalCrossEntropy());
    cnnWs = net.newWorkspace(cnnRows, false);
    SplittableRandom rng = new SplittableRandom(3);
    ConvBenchmark.fill(cnnWs.input(), rng);
    cnnParams = net.initParams(1);
    cnnGrad = new float[cnnParams.length];
    labels = new float[B];
    for (int i = 0; i < B; i++) {
      labels[i] = i % 10;
    }
    cnnProducts = new Gemms().conv(B, chunk, 32, 9, 26 * 26, false).conv(B, chunk, 64, 32 * 9, 11 * 11, true)
        .dense(B, 64 * 5 * 5, 128, true).dense(B, 128, 10, true);
    src = ConvBenchmark.fill(new float[B * C * HW * HW], rng);
    dst = new float[src.length];
  }

  @Benchmark
  public float[] maxPool() {
    return pool.forwardBackward();
  }

  @Benchmark
  public float[] batchNorm() {
    return norm.forwardBackward();
  }

  @Benchmark
  public float[] copy() {
    System.arraycopy(src, 0, dst, 0, src.length);
    return dst;
  }

  @Benchmark
  public float[] residual() {
    return residual.forwardBackward();
  }

  @Benchmark
  public float[] residualSgemm() {
    return residualProducts.run();
  }

  @Benchmark
  public float[] cnn() {
    BatchStats stats = new BatchStats();
    for (int r = 0; r < B; r += cnnRows) {
      cnn.accumulateGradient(cnnWs, cnnParams, new float[0], labels, null, Math.min(cnnRows, B - r), 0, cnnGrad,
          stats);
    }
    return cnnGrad;
  }

  @Benchmark
  public float[] cnnSgemm() {
    return cnnProducts.run();
  }

  public static void main(String[] args) throws Exception {
    Collection<RunResult> results = Jmh.run(ImageBenchmark.class, args);
    Jmh.Table t = new Jmh.Table(results, "batch " + B + ", 64 channels of 14x14 (small CNN: 1x28x28), forward + "
        + "backward; conv products " + ConvVariants.defaultChunk() + " sample(s) per sgemm");
    // pool: x, y and the window position (a byte per output) forward; dy, position, dx backward
    t.bandwidth("maxPool", 2 * (TENSOR + TENSOR / 4 + TENSOR / 16), "copy", 2 * TENSOR);
    // batch norm: x, y forward; dy, x, dx backward
    t.bandwidth("batchNorm", 5 * TENSOR, "copy", 2 * TENSOR);
    t.bandwidth("copy", 2 * TENSOR, null, 0);
    Gemms residualProducts = new Gemms().conv(B, 1, C, C * 9, HW * HW, true).conv(B, 1, C, C * 9, HW * HW, true);
    t.gflops("residual", residualProducts.flops(), "residualSgemm");
    t.gflops("residualSgemm", residualProducts.flops(), null);
    double cnnFlops = new Gemms().conv(B, 1, 32, 9, 26 * 26, false).conv(B, 1, 64, 32 * 9, 11 * 11, true)
        .dense(B, 64 * 5 * 5, 128, true).dense(B, 128, 10, true).flops();
    t.gflops("cnn", cnnFlops, "cnnSgemm");
    t.gflops("cnnSgemm", cnnFlops, null);
    t.print();
  }
}
