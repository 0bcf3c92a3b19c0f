package io.treeprop.core.tensor;

import io.treeprop.core.tensor.CpuFeatures.Level;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which OpenBLAS kernels to run, and which ones run.
 *
 * <p>OpenBLAS built with {@code DYNAMIC_ARCH} (Debian's) picks its kernels from the processor's family and model
 * when the library loads. A processor newer than the library is not recognised and gets the generic SSE kernels:
 * Debian 12's 0.3.21 on an Intel Xeon of family 6 model 207 runs {@code Prescott}, 6× slower than its AVX-512
 * kernels. The environment variable {@code OPENBLAS_CORETYPE}, read once when the library loads, overrides the
 * choice. So the rule ({@link #decide}), applied by the launchers before the JVM starts:
 * <ul>
 *   <li>a non-empty {@code OPENBLAS_CORETYPE} the user set is never changed;
 *   <li>when the kernels OpenBLAS picks by itself use a narrower instruction set than the processor has
 *       ({@link CpuFeatures#level()}), set {@code SKYLAKEX} on AVX-512 processors, {@code HASWELL} on AVX2+FMA ones;
 *   <li>otherwise leave OpenBLAS's own choice (it may know the processor better, e.g. {@code Zen} or
 *       {@code Cooperlake}).
 * </ul>
 * Which kernels a library picked is read from OpenBLAS itself: a child JVM loads it with {@code OPENBLAS_VERBOSE=2},
 * which makes OpenBLAS print {@code Core: <name>} as it loads ({@link #probe}); no native call from this JVM.
 *
 * <p>Depends on the JDK only, so {@link #main} runs from {@code core/target/classes} alone.
 */
public final class OpenBlasKernels {
  /** The environment variable OpenBLAS reads when it loads. */
  public static final String CORETYPE = "OPENBLAS_CORETYPE";
  /** Where the launchers leave the reason of their choice for the JVM's start-up log. */
  public static final String CHOICE = "TREEPROP_BLAS_CHOICE";

  private static final Pattern CORE_LINE = Pattern.compile("(?m)^Core: (\\S+)");
  private static final String[] LIBBLAS = {"/usr/lib/x86_64-linux-gnu/libblas.so.3",
      "/usr/lib/aarch64-linux-gnu/libblas.so.3", "/usr/lib64/libblas.so.3", "/usr/lib/libblas.so.3"};

  private OpenBlasKernels() {}

  /** What to set {@code OPENBLAS_CORETYPE} to ({@code null}: leave it as it is) and why, in one line. */
  public record Decision(String coreType, String reason) {}

  /**
   * The instruction-set level an OpenBLAS x86-64 kernel family uses, from the name OpenBLAS reports
   * ({@code openblas_get_corename}, or {@code Core: ...} when it loads verbosely); {@link Level#UNKNOWN} for names
   * it does not know.
   */
  public static Level levelOf(String coreName) {
    if (coreName == null) {
      return Level.UNKNOWN;
    }
    return switch (coreName.toLowerCase(Locale.ROOT)) {
      case "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn", "dunnington",
          "nehalem", "athlon", "opteron", "opteron_sse3", "barcelona", "nano", "bobcat" -> Level.SSE;
      case "sandybridge", "bulldozer", "piledriver", "steamroller" -> Level.AVX;
      case "haswell", "excavator", "zen" -> Level.AVX2;
      case "skylakex", "cooperlake", "sapphirerapids" -> Level.AVX512;
      default -> Level.UNKNOWN;
    };
  }

  /** The kernel family to force for a processor level: {@code SKYLAKEX}, {@code HASWELL}, or null. */
  public static String coreTypeFor(Level level) {
    return switch (level) {
      case AVX512 -> "SKYLAKEX";
      case AVX2 -> "HASWELL";
      default -> null;
    };
  }

  /**
   * The rule (see the class comment).
   *
   * @param userSetting the environment's {@code OPENBLAS_CORETYPE}, null or empty when unset
   * @param detected the kernels OpenBLAS picks by itself ({@link #probe}), null when no OpenBLAS loaded
   */
  public static Decision decide(CpuFeatures cpu, String userSetting, String detected) {
    if (userSetting != null && !userSetting.isBlank()) {
      return new Decision(null, CORETYPE + "=" + userSetting + " set by the user, kept");
    }
    if (detected == null) {
      return new Decision(null, "no OpenBLAS behind libblas.so.3, nothing to choose");
    }
    Level have = levelOf(detected);
    Level can = cpu.level();
    String forced = coreTypeFor(can);
    if (have == Level.UNKNOWN || forced == null || have.compareTo(can) >= 0) {
      return new Decision(null, "OpenBLAS picked its " + detected + " kernels for this " + can + " processor, kept");
    }
    return new Decision(forced, "OpenBLAS picked its " + have + " kernels (" + detected + ") on this " + can
        + " processor (" + cpu.vendor() + " family " + cpu.family() + " model " + cpu.model()
        + ", which it does not recognise); forcing " + CORETYPE + "=" + forced);
  }

  /**
   * The native BLAS netlib's JNI binding loads: {@code -Ddev.ludovic.netlib.blas.nativeLib} when set, else the
   * {@code libblas.so.3} this machine resolves, if any.
   */
  public static Optional<Path> libblas() {
    String configured = System.getProperty("dev.ludovic.netlib.blas.nativeLib");
    if (configured != null && configured.contains("/")) {
      return Optional.of(Path.of(configured));
    }
    for (String p : LIBBLAS) {
      Path path = Path.of(p);
      if (Files.exists(path)) {
        try {
          return Optional.of(path.toRealPath());
        } catch (IOException e) {
          return Optional.of(path);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The kernels OpenBLAS picks under the given environment changes ({@code null} value: remove the variable), read
   * from a child JVM that loads {@code libblas.so.3} with {@code OPENBLAS_VERBOSE=2}; empty when there is no
   * library, it is not OpenBLAS, or the child fails. Costs one small JVM start (~0.1–0.3 s).
   */
  public static Optional<String> probe(Map<String, String> envChanges) {
    Optional<Path> lib = libblas();
    if (lib.isEmpty()) {
      return Optional.empty();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath;
    try {
      classPath = Path.of(OpenBlasKernels.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (Exception e) {
      return Optional.empty();
    }
    List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-cp",
        classPath, OpenBlasKernels.class.getName(), "--load", lib.get().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("OPENBLAS_VERBOSE", "2");
    env.put("OPENBLAS_NUM_THREADS", "1");
    envChanges.forEach((k, v) -> {
      if (v == null) {
        env.remove(k);
      } else {
        env.put(k, v);
      }
    });
    try {
      Process p = pb.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      Matcher m = CORE_LINE.matcher(out);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * For the launchers: prints two lines, the {@code OPENBLAS_CORETYPE} to export (empty: export nothing) and the
   * reason. With {@code --load PATH}, only loads that library (the child of {@link #probe}).
   */
  public static void main(String[] args) {
    if (args.length == 2 && args[0].equals("--load")) {
      System.load(args[1]);
      return;
    }
    String user = System.getenv(CORETYPE);
    // an empty OPENBLAS_CORETYPE is not "unset" to OpenBLAS (it then forces some core): the probe removes it
    Map<String, String> unset = new HashMap<>();
    unset.put(CORETYPE, null);
    String detected = (user == null || user.isBlank()) ? probe(unset).orElse(null) : null;
    Decision d = decide(CpuFeatures.current(), user, detected);
    System.out.println(d.coreType() == null ? "" : d.coreType());
    System.out.println(d.reason());
  }
}
