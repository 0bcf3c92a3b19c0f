package io.treeprop.core.layer;

import java.util.function.Supplier;

/**
 * One layer's view of a pass: its input, output and gradient buffers, its offsets into the flat vectors, its seed,
 * reusable scratch memory and an extension slot; what the layers of a pass share is the {@link Pass}. Frames are
 * made by {@link Sequence#frames} for a capacity (rows) and reused across passes, so the hot path allocates
 * nothing. Buffers hold {@code capacity} rows; only the first {@code batch() * size} floats are meaningful.
 */
public final class Frame {
  private final float[] in;
  private final float[] out;
  private final float[] dIn;
  private final float[] dOut;
  private final int capacity;
  private final int paramOffset;
  private final int stateOffset;
  private Pass pass;
  private long seed;
  private float[] scratch = new float[0];
  private int[] intScratch = new int[0];
  private byte[] byteScratch = new byte[0];
  private Object extension;
  /** What runs on this frame when a Sequence runs it: its layer, or that layer fused with its neighbour. */
  Layer runs;

  /**
   * @param in input buffer {@code [capacity, inSize]}, shared with the previous frame's output
   * @param out output buffer {@code [capacity, outSize]}
   * @param dIn gradient w.r.t. the input, or null when nothing upstream needs it
   * @param dOut gradient w.r.t. the output, {@code [capacity, outSize]}
   * @param paramOffset offset of the layer's first parameter block (gradients use the same layout)
   * @param stateOffset offset of the layer's first state block
   */
  Frame(float[] in, float[] out, float[] dIn, float[] dOut, int capacity, int paramOffset, int stateOffset) {
    this.in = in;
    this.out = out;
    this.dIn = dIn;
    this.dOut = dOut;
    this.capacity = capacity;
    this.paramOffset = paramOffset;
    this.stateOffset = stateOffset;
  }

  /** Binds the pass and this layer's seed; called by the {@link Sequence} before the layer's forward. */
  void bind(Pass pass, long seed) {
    this.pass = pass;
    this.seed = seed;
  }

  /**
   * True when this layer's output is never written: a ReLU run in place just before a max pool, which applies it
   * to its own (pooled) output instead; its buffer holds the ReLU's input.
   */
  public boolean outputDeferred() {
    return runs instanceof Sequence.Deferred;
  }

  /** The pass this frame is bound to (a block hands it to its inner layers). */
  public Pass pass() {
    return pass;
  }

  public float[] in() {
    return in;
  }

  public float[] out() {
    return out;
  }

  /** Gradient w.r.t. the input, or null for the first layer when the input gradient is not requested. */
  public float[] dIn() {
    return dIn;
  }

  public float[] dOut() {
    return dOut;
  }

  /** Rows the buffers hold. */
  public int capacity() {
    return capacity;
  }

  public float[] params() {
    return pass.params();
  }

  /** Offset of this layer's first block in the parameter vector, and in the gradient vector. */
  public int paramOffset() {
    return paramOffset;
  }

  public float[] grad() {
    return pass.grad();
  }

  /** Non-gradient state (e.g. running statistics) read in inference. */
  public float[] state() {
    return pass.state();
  }

  /** Where training-mode forward writes updated state, or null when not collecting state. */
  public float[] newState() {
    return pass.newState();
  }

  public int stateOffset() {
    return stateOffset;
  }

  public int batch() {
    return pass.batch();
  }

  public boolean training() {
    return pass.training();
  }

  /** Seed of this pass for this layer (dropout masks are a pure function of it). */
  public long seed() {
    return seed;
  }

  /** Float scratch of at least {@code n} elements, kept across passes. */
  public float[] scratch(int n) {
    if (scratch.length < n) {
      scratch = new float[n];
    }
    return scratch;
  }

  /** Int scratch of at least {@code n} elements, kept across passes. */
  public int[] intScratch(int n) {
    if (intScratch.length < n) {
      intScratch = new int[n];
    }
    return intScratch;
  }

  /** Byte scratch of at least {@code n} elements, kept across passes. */
  public byte[] byteScratch(int n) {
    if (byteScratch.length < n) {
      byteScratch = new byte[n];
    }
    return byteScratch;
  }

  /** Layer-specific memory (e.g. a block's inner frames), created once on first use. */
  @SuppressWarnings("unchecked")
  public <T> T extension(Supplier<T> create) {
    if (extension == null) {
      extension = create.get();
    }
    return (T) extension;
  }
}
