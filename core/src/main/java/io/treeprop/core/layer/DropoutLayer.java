package io.treeprop.core.layer;

import io.treeprop.core.random.Seeds;
import io.treeprop.core.tensor.Shape;

/**
 * Inverted dropout. The keep mask of element {@code i} in a pass is {@code uniform(seed, i) >= rate}, a pure
 * function of the pass seed, so a retried task draws the same mask and backward needs no stored mask.
 */
public final class DropoutLayer implements Layer {
  private final Shape shape;
  private final float rate;
  private final float scale;

  public DropoutLayer(Shape shape, float rate) {
    this.shape = shape;
    this.rate = rate;
    this.scale = 1f / (1f - rate);
  }

  @Override
  public Shape inputShape() {
    return shape;
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  /** Element-wise, its mask a function of the seed: runs in place. */
  @Override
  public boolean inPlace() {
    return true;
  }

  @Override
  public void forward(Frame f) {
    apply(f.in(), f.out(), f.batch() * shape.size(), f.training(), f.seed());
  }

  @Override
  public void backward(Frame f) {
    if (f.dIn() != null) {
      apply(f.dOut(), f.dIn(), f.batch() * shape.size(), f.training(), f.seed());
    }
  }

  private void apply(float[] src, float[] dst, int n, boolean training, long seed) {
    if (!training || rate == 0f) {
      if (src != dst) {
        System.arraycopy(src, 0, dst, 0, n);
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      dst[i] = Seeds.uniform(seed, i) >= rate ? src[i] * scale : 0f;
    }
  }
}
