package io.treeprop.core.tensor;

import dev.ludovic.netlib.blas.BLAS;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door to matrix multiplication: row-major single-precision GEMM over {@code dev.ludovic.netlib}.
 *
 * <p>netlib picks native BLAS through JNI when {@code libblas.so.3} loads (OpenBLAS from Debian's
 * {@code libopenblas0-pthread} is ~3× the JDK Vector API path), the Vector API when the JVM runs with
 * {@code --add-modules=jdk.incubator.vector}, and plain Java otherwise. Which one was picked is logged once, with
 * the native library behind JNI, because a reference {@code libblas.so.3} is slower than pure Java.
 *
 * <p>All matrices are row-major. The facade maps {@code C = op(A)·op(B)} onto column-major BLAS as
 * {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}, so no data is ever transposed or copied.
 */
public final class Blas {
  private static final Logger LOG = LoggerFactory.getLogger(Blas.class);
  private static final BLAS BLAS_IMPL = pick();

  private Blas() {}

  private static BLAS pick() {
    BLAS b = BLAS.getInstance();
    LOG.info("using {}", describe(b));
    return b;
  }

  /** A human-readable name of the implementation in use, e.g. {@code native (JNIBLAS → .../openblas-pthread/libblas.so.3)}. */
  public static String implementation() {
    return describe(BLAS_IMPL);
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
    for (String p : new String[] {"/usr/lib/x86_64-linux-gnu/libblas.so.3", "/usr/lib/aarch64-linux-gnu/libblas.so.3",
        "/usr/lib64/libblas.so.3", "/usr/lib/libblas.so.3"}) {
      Path path = Path.of(p);
      if (Files.exists(path)) {
        try {
          return path.toRealPath().toString();
        } catch (java.io.IOException e) {
          return p;
        }
      }
    }
    return "libblas.so.3";
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
