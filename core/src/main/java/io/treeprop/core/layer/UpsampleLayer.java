package io.treeprop.core.layer;

import io.treeprop.core.tensor.Shape;

/**
 * Nearest-neighbour upsampling by integer factors over NCHW rows: input {@code [c, h, w]}, output
 * {@code [c, h·fh, w·fw]}. No parameters.
 *
 * <pre>
 * forward:  y[ch, oy, ox] = x[ch, ⌊oy / fh⌋, ⌊ox / fw⌋]
 * backward: dx[ch, iy, ix] = Σ over its fh × fw block of dy
 * </pre>
 */
public final class UpsampleLayer implements Layer {
  private final Shape input;
  private final Shape output;
  private final int fh;
  private final int fw;

  public UpsampleLayer(Shape input, Size2 factor) {
    if (!input.isImage()) {
      throw new IllegalArgumentException("upsample needs an image input [channels, height, width], receives "
          + input);
    }
    this.input = input;
    this.fh = factor.h();
    this.fw = factor.w();
    this.output = Shape.image(input.channels(), Math.multiplyExact(input.height(), fh),
        Math.multiplyExact(input.width(), fw));
  }

  @Override
  public Shape inputShape() {
    return input;
  }

  @Override
  public Shape outputShape() {
    return output;
  }

  @Override
  public void forward(Frame f) {
    float[] x = f.in();
    float[] y = f.out();
    int h = input.height();
    int w = input.width();
    int ow = output.width();
    int planes = f.batch() * input.channels();
    for (int pl = 0; pl < planes; pl++) {
      for (int oy = 0; oy < output.height(); oy++) {
        int src = pl * h * w + (oy / fh) * w;
        int dst = (pl * output.height() + oy) * ow;
        for (int ox = 0; ox < ow; ox++) {
          y[dst + ox] = x[src + ox / fw];
        }
      }
    }
  }

  @Override
  public void backward(Frame f) {
    float[] dx = f.dIn();
    if (dx == null) {
      return;
    }
    float[] dy = f.dOut();
    int h = input.height();
    int w = input.width();
    int ow = output.width();
    int planes = f.batch() * input.channels();
    java.util.Arrays.fill(dx, 0, planes * h * w, 0f);
    for (int pl = 0; pl < planes; pl++) {
      for (int oy = 0; oy < output.height(); oy++) {
        int dst = pl * h * w + (oy / fh) * w;
        int src = (pl * output.height() + oy) * ow;
        for (int ox = 0; ox < ow; ox++) {
          dx[dst + ox / fw] += dy[src + ox];
        }
      }
    }
  }
}
