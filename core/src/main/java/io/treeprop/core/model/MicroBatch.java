package io.treeprop.core.model;

/**
 * The micro-batch: the rows one forward pass sees. A step's batch (or a partition's slice of it) runs as
 * consecutive micro-batches whose gradients add up; batch-norm statistics are those of one micro-batch. Its size
 * is chosen from a memory budget for a workspace's buffers, so activation memory grows with the micro-batch, never
 * with the batch:
 *
 * <pre>
 * bytesPerRow = 4 · (inputSize + Σ_layers (2 · outputSize + extra))   (activations, their gradients and the
 *                                                                    buffers inside blocks, float32; a layer
 *                                                                    run in place adds only its extra)
 * rows        = clamp(⌊budgetBytes / bytesPerRow⌋, 1, maxRows)
 * </pre>
 *
 * A network without state (no batch norm, whose statistics are a micro-batch's) gets at most as many rows as keep
 * its largest layer output within {@link #CACHE_BYTES}, and at least {@link #MIN_CACHE_ROWS}: there the micro-batch
 * only decides whether a layer's output is still in the core's cache when the next layer reads it. The small CNN's
 * training pass over 256 rows took 85 ms in micro-batches of 16 rows and 105 ms in one of 128 (JMH, 2 threads,
 * DESIGN.md decision 13); a 784-256-128-10 MLP's largest output, 256 floats, allows 1,536 rows, so its batches
 * up to that size still run in one pass.
 *
 * <pre>
 * stateless:  rows = min(rows, max(MIN_CACHE_ROWS, ⌊CACHE_BYTES / (4 · largest layer output)⌋))
 * </pre>
 *
 * The local trainer, the Spark executors and evaluation all take their micro-batch from here.
 *
 * @param budgetBytes bytes of activation buffers one workspace may hold
 */
public record MicroBatch(long budgetBytes) {
  /** 64 MiB: a 784-256-128-10 MLP gets ~7,000 rows (before the cache rule, which leaves it 1,536). */
  public static final long DEFAULT_BUDGET_BYTES = 64L << 20;
  /** 1.5 MiB: most of a 2 MiB L2 cache, for one layer's output over a stateless network's micro-batch. */
  public static final long CACHE_BYTES = 3L << 19;
  /** The fewest rows the cache rule gives: smaller passes cost more per row than they save. */
  public static final int MIN_CACHE_ROWS = 16;

  public MicroBatch {
    if (budgetBytes <= 0) {
      throw new IllegalArgumentException("micro-batch budgetBytes (" + budgetBytes + ") must be positive");
    }
  }

  /** The default budget. */
  public static MicroBatch defaults() {
    return new MicroBatch(DEFAULT_BUDGET_BYTES);
  }

  /** Bytes of workspace buffers per row of capacity (input, every layer's output and output gradient). */
  public static long bytesPerRow(Network net) {
    return 4L * (net.inputShape().size() + net.sequence().floatsPerRow(false));
  }

  /**
   * The first row of micro-batch {@code j} when {@code n} rows run as {@code parts = ⌈n / rows⌉} micro-batches of
   * equal size (differing by at most one row, so no micro-batch is a small remainder with noisy batch-norm
   * statistics): {@code ⌊j·n / parts⌋}; {@code start(n, rows, parts)} is {@code n}.
   */
  public static int start(int n, int rows, int j) {
    return (int) ((long) j * n / parts(n, rows));
  }

  /** How many micro-batches of at most {@code rows} rows {@code n} rows need: {@code ⌈n / rows⌉}. */
  public static int parts(int n, int rows) {
    return (n + rows - 1) / rows;
  }

  /**
   * Rows per forward pass for this network.
   *
   * @param maxRows the most rows there are to process (a batch, a slice); at least 1
   */
  public int rows(Network net, int maxRows) {
    long rows = budgetBytes / bytesPerRow(net);
    if (net.layout().stateCount() == 0) {
      rows = Math.min(rows, Math.max(MIN_CACHE_ROWS, CACHE_BYTES / (4L * largestOutput(net))));
    }
    return (int) Math.max(1, Math.min(Math.max(1, maxRows), rows));
  }

  /** Floats per row of the network's largest layer output (the top-level layers'). */
  static long largestOutput(Network net) {
    long m = 1;
    for (var l : net.layers()) {
      m = Math.max(m, l.outputShape().size());
    }
    return m;
  }
}
