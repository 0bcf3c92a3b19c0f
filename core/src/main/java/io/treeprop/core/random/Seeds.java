package io.treeprop.core.random;

/**
 * Derived randomness. Every random choice in Treeprop is a pure function of {@code (seed, purpose, ...)}, so a
 * retried Spark task recomputes the same gradient and a rerun with the same seed reproduces the run.
 *
 * <p>Mixing uses SplitMix64's finaliser (Steele, Lea, Flood: "Fast splittable pseudorandom number generators",
 * OOPSLA 2014), which is a bijection with good avalanche, so distinct inputs give independent-looking streams.
 */
public final class Seeds {
  /** Purposes: one constant per kind of random decision, so streams never collide. */
  public static final long INIT = 0x1;
  public static final long SHUFFLE = 0x2;
  public static final long DROPOUT = 0x3;
  public static final long SPLIT = 0x4;
  public static final long NOISE = 0x5;

  private Seeds() {}

  /** SplitMix64 finaliser. */
  public static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A seed derived from a base seed and any number of coordinates (purpose, epoch, step, partition, layer...). */
  public static long derive(long seed, long... parts) {
    long h = mix(seed);
    for (long p : parts) {
      h = mix(h ^ mix(p));
    }
    return h;
  }

  /**
   * The seed of the micro-batch that starts at row {@code firstRow} of a batch (or slice) whose seed is
   * {@code batchSeed}: the batch seed itself for the first, so a batch that fits one micro-batch draws what it drew
   * before micro-batches existed, and {@code derive(batchSeed, firstRow)} for the others.
   */
  public static long microBatch(long batchSeed, int firstRow) {
    return firstRow == 0 ? batchSeed : derive(batchSeed, firstRow);
  }

  /**
   * The seed partition {@code p} of a data-parallel run uses where a single-JVM run uses {@code seed}: the seed
   * itself for partition 0 and {@code derive(seed, p)} for the others, so a Spark run with one partition draws the
   * local trainer's shuffles and dropout masks.
   */
  public static long partition(long seed, int p) {
    return p == 0 ? seed : derive(seed, p);
  }

  /** A uniform float in [0, 1) from a counter: {@code uniform(seed, i)} for element {@code i} of a stream. */
  public static float uniform(long seed, long i) {
    return (mix(seed + i * 0x9E3779B97F4A7C15L) >>> 40) * 0x1.0p-24f;
  }
}
