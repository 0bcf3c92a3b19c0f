package io.treeprop.core.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the processor can do, read from the first processor block of Linux's {@code /proc/cpuinfo}: vendor,
 * family/model, model name and the instruction-set flags the kernel reports (which the kernel clears when the OS
 * does not save that state, so a flag present here is usable).
 *
 * <p>Depends on the JDK only: the launchers run {@link OpenBlasKernels#main} from {@code core/target/classes}
 * before anything else is on a class path.
 */
public record CpuFeatures(String vendor, int family, int model, String modelName, Set<String> flags) {

  /** The widest SIMD level a BLAS kernel may use on this processor, in increasing order. */
  public enum Level {
    /** Unknown or not x86-64. */
    UNKNOWN,
    /** SSE2/SSE3 only (OpenBLAS's Prescott, Core2, Nehalem... kernels). */
    SSE,
    /** AVX without AVX2/FMA (Sandy Bridge). */
    AVX,
    /** AVX2 and FMA3 (Haswell, Zen 1–3). */
    AVX2,
    /** AVX-512 F, CD, BW, DQ and VL (Skylake-SP and later, Zen 4). */
    AVX512
  }

  public CpuFeatures {
    flags = Set.copyOf(flags);
  }

  /** The processor of this machine; {@link Level#UNKNOWN} features when {@code /proc/cpuinfo} cannot be read. */
  public static CpuFeatures current() {
    try {
      return parse(Files.readString(Path.of("/proc/cpuinfo")));
    } catch (IOException | RuntimeException e) {
      return new CpuFeatures("unknown", -1, -1, System.getProperty("os.arch", "unknown"), Set.of());
    }
  }

  /** Parses the first processor block of a {@code /proc/cpuinfo} text (all cores of a machine are alike). */
  public static CpuFeatures parse(String cpuinfo) {
    String vendor = "unknown";
    String name = "unknown";
    int family = -1;
    int model = -1;
    Set<String> flags = new TreeSet<>();
    for (String line : cpuinfo.split("\n")) {
      if (line.isBlank()) {
        if (!flags.isEmpty()) {
          break;
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      switch (key) {
        case "vendor_id" -> vendor = value;
        case "model name" -> name = value;
        case "cpu family" -> family = parseInt(value);
        case "model" -> model = parseInt(value);
        case "flags" -> flags.addAll(Arrays.asList(value.toLowerCase(Locale.ROOT).split("\\s+")));
        default -> { }
      }
    }
    return new CpuFeatures(vendor, family, model, name, flags);
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The widest SIMD level usable on this processor. */
  public Level level() {
    if (flags.containsAll(Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"))) {
      return Level.AVX512;
    }
    if (flags.containsAll(Set.of("avx2", "fma"))) {
      return Level.AVX2;
    }
    if (flags.contains("avx")) {
      return Level.AVX;
    }
    if (flags.contains("sse2")) {
      return Level.SSE;
    }
    return Level.UNKNOWN;
  }

  /** E.g. {@code GenuineIntel family 6 model 207 (Intel(R) Xeon(R) Processor), AVX512}. */
  public String describe() {
    return vendor + " family " + family + " model " + model + " (" + modelName + "), " + level();
  }
}
