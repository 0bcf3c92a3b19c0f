package io.treeprop.core.layer;

import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.tensor.Shape;

/**
 * A compiled layer: configuration and shapes only, never parameter values or per-batch buffers (those come
 * through the {@link Frame}). Instances are immutable and shared by all threads.
 *
 * <p>Call order for one batch: {@link #forward} for every layer in order, then {@link #backward} in reverse.
 * {@code backward} adds into the gradient slice (it never overwrites), so partial sums over several batches or
 * partitions compose. Inputs and outputs are row-major {@code [batch, shape.size()]}.
 */
public interface Layer {
  /** Shape of one input example. */
  Shape inputShape();

  /** Shape of one output example. */
  Shape outputShape();

  /**
   * Declares this layer's parameter and state blocks, in the order they are laid out. Weights first, then
   * biases, by convention. The default declares nothing.
   */
  default void declare(ParamLayout.Builder layout) {}

  /** True when the layer has a gradient; threshold units (sign, step) are inference-only. */
  default boolean differentiable() {
    return true;
  }

  /**
   * True when the layer computes correctly with its output buffer being its input buffer and its input gradient
   * being its output gradient: an element-wise layer whose backward needs its output, its seed or nothing, never
   * the input it overwrote. A {@link Sequence} then runs it in place where that is safe. The default is false.
   */
  default boolean inPlace() {
    return false;
  }

  /**
   * True when backward reads the layer's own output buffer (so a following layer may not overwrite it in place).
   * The default is false.
   */
  default boolean backwardReadsOutput() {
    return false;
  }

  /**
   * Floats per row of capacity that the layer keeps in its frame besides its output and output gradient (a
   * block's inner buffers); counted by {@link io.treeprop.core.model.MicroBatch}. Per-sample scratch is not per
   * row and not counted. The default is 0.
   */
  default long extraFloatsPerRow() {
    return 0;
  }

  /** {@code out = f(in)} for {@code f.batch()} rows. In training mode a layer may also write {@link Frame#newState()}. */
  void forward(Frame f);

  /**
   * Given {@code dOut}, adds this layer's parameter gradient into {@code grad} and, when {@code f.dIn()} is not
   * null, writes (overwrites) the gradient with respect to the input into it.
   */
  void backward(Frame f);
}
