package io.treeprop.core.tensor;

import dev.ludovic.netlib.blas.BLAS;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door to matrix multiplication: row-major single-precision GEMM over {@code dev.ludovic.netlib}.
 *
 * <p>netlib picks native BLAS through JNI when {@code libblas.so.3} loads (OpenBLAS from Debian's
 * {@code libopenblas0-pthread} is ~3× the JDK Vector API path), the Vector API when the JVM runs with
 * {@code --add-modules=jdk.incubator.vector}, and plain Java otherwise. When the class loads it logs, once per JVM
 * (driver and each executor), which one was picked with the native library behind JNI (a reference
 * {@code libblas.so.3} is slower than pure Java), which OpenBLAS kernels run and why ({@link OpenBlasKernels}), the
 * measured single-thread sgemm speed and the processor, and warns, naming the fix, when the kernels use a narrower
 * instruction set than the processor has.
 *
 * <p>All matrices are row-major. The facade maps {@code C = op(A)·op(B)} onto column-major BLAS as
 * {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}, so no data is ever transposed or copied.
 */
public final class Blas {
  private static final Logger LOG = LoggerFactory.getLogger(Blas.class);
  private static final BLAS BLAS_IMPL = BLAS.getInstance();
  private static final Info INFO = inspect();

  private Blas() {}

  /**
   * What this JVM multiplies with, measured once when the class loads.
   *
   * @param implementation e.g. {@code native (JNIBLAS → .../openblas-pthread/libblas.so.3)}
   * @param kernels the OpenBLAS kernel family in use (e.g. {@code SkylakeX}), null if not OpenBLAS or unknown
   * @param kernelsChoice why those kernels: forced by whom, or OpenBLAS's own pick
   * @param sgemmGflops single-thread sgemm speed at {@code [256, 784] · [784, 256]} (median of 5 after 2 warm-up
   *     runs); NaN for the pure-Java implementations, whose speed depends on JIT warm-up
   * @param cpu the processor, e.g. {@code GenuineIntel family 6 model 207 (...), AVX512}
   * @param warning what to change when the kernels use less of the processor than it has; null otherwise
   */
  public record Info(String implementation, String kernels, String kernelsChoice, double sgemmGflops, String cpu,
      String warning) {}

  /** How matrix products run in this JVM (see {@link Info}); also logged once at start-up. */
  public static Info info() {
    return INFO;
  }

  /** A human-readable name of the implementation in use, e.g. {@code native (JNIBLAS → .../openblas-pthread/libblas.so.3)}. */
  public static String implementation() {
    return INFO.implementation();
  }

  private static Info inspect() {
    boolean nativeBlas = BLAS_IMPL.getClass().getSimpleName().contains("JNI");
    String impl = describe(BLAS_IMPL);
    CpuFeatures cpu = CpuFeatures.current();
    double gflops = nativeBlas ? measureSgemm() : Double.NaN;
    String kernels = null;
    String choice = "not OpenBLAS";
    String warning = null;
    if (nativeBlas) {
      // a child JVM loads the same library under the same environment and reports what OpenBLAS picked
      kernels = OpenBlasKernels.probe(Map.of()).orElse(null);
      String user = System.getenv(OpenBlasKernels.CORETYPE);
      String launcher = System.getenv(OpenBlasKernels.CHOICE);
      choice = launcher != null && !launcher.isBlank() ? launcher
          : user != null && !user.isBlank() ? OpenBlasKernels.CORETYPE + "=" + user + " from the environment"
          : "OpenBLAS's own pick";
      // the launchers' rule, asked as if nobody had chosen: would it force better kernels than these?
      String better = kernels == null ? null : OpenBlasKernels.decide(cpu, null, kernels).coreType();
      if (better != null) {
        warning = String.format("OpenBLAS runs its %s (%s) kernels on this %s processor, sgemm %.0f GFLOP/s: start "
            + "this JVM with %s=%s in its environment (executors: --conf spark.executorEnv.%s=%s) for several "
            + "times the speed; bin/treeprop and bin/benchmark do it by themselves", kernels,
            OpenBlasKernels.levelOf(kernels), cpu.level(), gflops, OpenBlasKernels.CORETYPE, better,
            OpenBlasKernels.CORETYPE, better);
      }
    }
    Info info = new Info(impl, kernels, choice, gflops, cpu.describe(), warning);
    LOG.info("using {}{}; sgemm 256x784x256 {} on 1 thread; cpu {}", impl,
        kernels == null ? "" : ", kernels " + kernels + " (" + choice + ")",
        Double.isNaN(gflops) ? "not measured (pure Java)" : String.format("%.1f GFLOP/s", gflops), cpu.describe());
    if (warning != null) {
      LOG.warn(warning);
    }
    return info;
  }

  /** Median single-thread GFLOP/s of five {@code [256, 784] · [784, 256]} products after two warm-up runs. */
  private static double measureSgemm() {
    int m = 256;
    int k = 784;
    int n = 256;
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    float[] c = new float[m * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = ((i * 37) % 101 - 50) / 50f;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = ((i * 53) % 97 - 48) / 48f;
    }
    double[] rates = new double[5];
    for (int r = -2; r < rates.length; r++) {
      long t0 = System.nanoTime();
      gemm(false, false, m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
      long dt = Math.max(1, System.nanoTime() - t0);
      if (r >= 0) {
        rates[r] = 2.0 * m * n * k / dt;
      }
    }
    Arrays.sort(rates);
    return rates[rates.length / 2];
  }

  private static String describe(BLAS b) {
    String name = b.getClass().getSimpleName();
    if (name.contains("JNI")) {
      return "native (" + name + " → " + nativeLibrary() + ")";
    }
    if (name.contains("Vector")) {
      return "Java Vector API (" + name + ")";
    }
    return "plain Java (" + name + "; install libopenblas0-pthread or add --add-modules=jdk.incubator.vector)";
  }

  private static String nativeLibrary() {
    String configured = System.getProperty("dev.ludovic.netlib.blas.nativeLib");
    if (configured != null) {
      return configured;
    }
    return OpenBlasKernels.libblas().map(Path::toString).orElse("libblas.so.3");
  }

  /**
   * {@code C[m,n] = alpha · op(A)[m,k] · op(B)[k,n] + beta · C}, all row-major and densely packed.
   *
   * @param transA use Aᵀ: A is stored {@code [k, m]} instead of {@code [m, k]}
   * @param transB use Bᵀ: B is stored {@code [n, k]} instead of {@code [k, n]}
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
    if (m == 0 || n == 0) {
      return;
    }
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    BLAS_IMPL.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, bOff, Math.max(1, ldb),
        a, aOff, Math.max(1, lda), beta, c, cOff, n);
  }
}
