package io.treeprop.core.layer;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.tensor.Shape;

/**
 * 2-D convolution over an image input {@code [c, h, w]}, e.g.
 * {@code {"type": "conv2d", "filters": 32, "kernel": 3, "padding": "same"}}; see {@link Conv2dLayer}.
 *
 * @param filters output channels
 * @param kernel {@code kh} and {@code kw}: one number or {@code [kh, kw]}
 * @param stride default 1
 * @param padding {@code "valid"} (default), {@code "same"}, or explicit per side
 * @param bias whether to add a bias per filter (default true)
 * @param init weight initializer; null picks He for a following ReLU-family activation, Xavier otherwise
 */
public record Conv2dSpec(int filters, Size2 kernel, Size2 stride, Padding padding, Boolean bias, Initializer init)
    implements LayerSpec {
  public Conv2dSpec {
    if (filters <= 0) {
      throw new IllegalArgumentException("conv2d.filters (" + filters + ") must be a positive integer");
    }
    if (kernel == null || kernel.h() <= 0 || kernel.w() <= 0) {
      throw new IllegalArgumentException("conv2d.kernel (" + kernel + ") is required and must be positive: a "
          + "number or [height, width]");
    }
    if (stride != null && (stride.h() <= 0 || stride.w() <= 0)) {
      throw new IllegalArgumentException("conv2d.stride (" + stride + ") must be positive");
    }
  }

  /** A {@code k×k} convolution with stride 1, no padding, a bias and the default initializer. */
  public Conv2dSpec(int filters, int k) {
    this(filters, Size2.of(k), null, null, null, null);
  }

  /** Whether a bias is added (default true). */
  public boolean hasBias() {
    return bias == null || bias;
  }

  /** The window for this spec: stride 1 and valid padding unless given. */
  public Window window() {
    Size2 s = stride == null ? Size2.of(1) : stride;
    Size2 p = (padding == null ? Padding.VALID : padding).resolve("conv2d", kernel, s);
    return new Window(kernel.h(), kernel.w(), s.h(), s.w(), p.h(), p.w());
  }

  @Override
  public Layer compile(Shape input, LayerSpec next) {
    return new Conv2dLayer(input, filters, window(), LayerSpec.weightInit(init, next), hasBias());
  }
}
