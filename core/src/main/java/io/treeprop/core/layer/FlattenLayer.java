package io.treeprop.core.layer;

import io.treeprop.core.tensor.Shape;

/**
 * Flattens an image {@code [c, h, w]} to a vector {@code [c·h·w]} (NCHW order, so the values do not move): a copy
 * forward, a copy backward. No parameters. (A dense layer after an image flattens by itself; this layer makes it
 * explicit.)
 */
public final class FlattenLayer implements Layer {
  private final Shape input;

  public FlattenLayer(Shape input) {
    this.input = input;
  }

  @Override
  public Shape inputShape() {
    return input;
  }

  @Override
  public Shape outputShape() {
    return Shape.vector(input.size());
  }

  /** A row-major image is already its flat vector: in place, flattening copies nothing. */
  @Override
  public boolean inPlace() {
    return true;
  }

  @Override
  public void forward(Frame f) {
    if (f.in() != f.out()) {
      System.arraycopy(f.in(), 0, f.out(), 0, f.batch() * input.size());
    }
  }

  @Override
  public void backward(Frame f) {
    if (f.dIn() != null && f.dIn() != f.dOut()) {
      System.arraycopy(f.dOut(), 0, f.dIn(), 0, f.batch() * input.size());
    }
  }
}
