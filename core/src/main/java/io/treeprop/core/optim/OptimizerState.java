package io.treeprop.core.optim;

/**
 * The mutable half of an optimizer: its step counter and moment vectors (in the parameter layout). Saved whole
 * in checkpoints so a resumed run continues exactly.
 */
public final class OptimizerState {
  private long step;
  private final float[][] slots;

  /** A fresh state with {@code slotCount} zeroed moment vectors of {@code size} floats. */
  public OptimizerState(int slotCount, int size) {
    this(0, new float[slotCount][size]);
  }

  /** A restored state; the arrays are used as given. */
  public OptimizerState(long step, float[][] slots) {
    if (step < 0) {
      throw new IllegalArgumentException("optimizer step (" + step + ") must be >= 0");
    }
    this.step = step;
    this.slots = slots;
  }

  /** Number of updates applied so far. */
  public long step() {
    return step;
  }

  /** Moment vectors, e.g. Adam's m then v. */
  public float[][] slots() {
    return slots;
  }

  void advance() {
    step++;
  }

  /** A deep copy. */
  public OptimizerState copy() {
    float[][] s = new float[slots.length][];
    for (int i = 0; i < s.length; i++) {
      s[i] = slots[i].clone();
    }
    return new OptimizerState(step, s);
  }
}
