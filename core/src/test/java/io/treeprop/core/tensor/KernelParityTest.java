package io.treeprop.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.treeprop.core.data.FashionMnist;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Dataset;
import io.treeprop.core.train.Evaluation;
import io.treeprop.core.train.LocalTrainer;
import io.treeprop.core.train.TrainConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernels {@link OpenBlasKernels} forces compute what OpenBLAS's generic kernels compute: the same product to
 * float rounding, and the same training to float tolerance. OpenBLAS picks its kernels once per process, so each
 * side runs in a child JVM ({@link #main}) with its own {@code OPENBLAS_CORETYPE}.
 */
class KernelParityTest {
  private static final int TRAIN_ROWS = 6_000;

  @Test
  void forcedKernelsTrainLikeTheGenericOnes() throws Exception {
    assumeTrue(OpenBlasKernels.libblas().isPresent(), "no native BLAS on this machine");
    String forced = OpenBlasKernels.coreTypeFor(CpuFeatures.current().level());
    assumeTrue(forced != null, "this processor has no AVX2: nothing is forced on it");
    double[] generic = runChild("PRESCOTT", "Prescott");
    double[] fast = runChild(forced, null);
    // [0] max normalised sgemm error vs float64, [1] final training loss, [2] test accuracy, [3] test loss
    assertTrue(generic[0] < 1e-5 && fast[0] < 1e-5, "sgemm errors " + generic[0] + ", " + fast[0]);
    assertEquals(generic[1], fast[1], 2e-3 * generic[1], "final training loss");
    assertEquals(generic[3], fast[3], 2e-3 * generic[3], "test loss");
    assertEquals(generic[2], fast[2], 0.005, "test accuracy");
    assertTrue(fast[2] > 0.75, "the run learns: test accuracy " + fast[2]);
  }

  private static double[] runChild(String coreType, String expectKernels) throws IOException, InterruptedException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", cp, KernelParityTest.class.getName())).redirectErrorStream(true);
    pb.environment().put(OpenBlasKernels.CORETYPE, coreType);
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    pb.environment().remove(OpenBlasKernels.CHOICE);
    Process p = pb.start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child did not finish");
    assertEquals(0, p.exitValue(), out);
    String line = out.lines().filter(l -> l.startsWith("parity ")).findFirst().orElseThrow(() -> new AssertionError(out));
    String[] f = line.split(" ");
    if (expectKernels != null) {
      assertEquals(expectKernels, f[1], "kernels the child ran");
    }
    assertTrue(OpenBlasKernels.levelOf(f[1]) != CpuFeatures.Level.UNKNOWN, line);
    return new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
        Double.parseDouble(f[5])};
  }

  /** The child: one product checked against float64, then a short Fashion-MNIST training; prints one line. */
  public static void main(String[] args) throws Exception {
    double err = sgemmError(97, 784, 131);
    Dataset all = FashionMnist.load(true);
    int[] idx = new int[TRAIN_ROWS];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Dataset train = all.subset(idx, 0, TRAIN_ROWS);
    Dataset test = FashionMnist.load(false);
    NetworkSpec spec = NetworkSpec.input(784).dense(256).relu().dense(128).relu().dense(10).softmax();
    Updater updater = new Updater(new Optimizers.Adam(1e-3f), new Schedule.Constant(), 0, false, 0);
    Model m = new LocalTrainer(new TrainConfig(2, 128, 7, updater, 0, null))
        .fit(spec, new Losses.CategoricalCrossEntropy(), train, null);
    BatchStats trained = Evaluation.evaluate(m, train);
    BatchStats s = Evaluation.evaluate(m, test);
    System.out.println(String.format(Locale.ROOT, "parity %s %.3e %.6f %.6f %.6f", Blas.info().kernels(), err,
        trained.meanLoss(), s.accuracy(), s.meanLoss()));
  }

  /** max |C - C64| / (|A|·|B|)_ij over a product of random-ish values: rounding only, whatever the kernel. */
  private static double sgemmError(int m, int k, int n) {
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    java.util.Random r = new java.util.Random(11);
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) r.nextGaussian();
    }
    float[] c = new float[m * n];
    Blas.gemm(false, false, m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
    double worst = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double exact = 0;
        double scale = 0;
        for (int t = 0; t < k; t++) {
          exact += (double) a[i * k + t] * b[t * n + j];
          scale += Math.abs((double) a[i * k + t] * b[t * n + j]);
        }
        worst = Math.max(worst, Math.abs(c[i * n + j] - exact) / scale);
      }
    }
    return worst;
  }
}
