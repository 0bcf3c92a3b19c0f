package io.treeprop.core.layer;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.tensor.Shape;

/**
 * Transposed 2-D convolution, e.g. {@code {"type": "conv2d_transpose", "filters": 16, "kernel": 3, "stride": 2,
 * "padding": 1, "outputPadding": 1}} (doubles the size); see {@link Conv2dTransposeLayer}.
 *
 * @param filters output channels
 * @param kernel one number or {@code [kh, kw]}
 * @param stride default 1
 * @param padding rows and columns removed from each side of the full output, default 0
 * @param outputPadding rows and columns added at the bottom and right, below the stride; default 0
 * @param bias default true
 * @param init weight initializer; null picks He for a following ReLU-family activation, Xavier otherwise
 */
public record Conv2dTransposeSpec(int filters, Size2 kernel, Size2 stride, Size2 padding, Size2 outputPadding,
    Boolean bias, Initializer init) implements LayerSpec {
  public Conv2dTransposeSpec {
    if (filters <= 0) {
      throw new IllegalArgumentException("conv2d_transpose.filters (" + filters + ") must be a positive integer");
    }
    if (kernel == null || kernel.h() <= 0 || kernel.w() <= 0) {
      throw new IllegalArgumentException("conv2d_transpose.kernel (" + kernel + ") is required and must be "
          + "positive: a number or [height, width]");
    }
    if (stride != null && (stride.h() <= 0 || stride.w() <= 0)) {
      throw new IllegalArgumentException("conv2d_transpose.stride (" + stride + ") must be positive");
    }
    if (padding != null && (padding.h() < 0 || padding.w() < 0)) {
      throw new IllegalArgumentException("conv2d_transpose.padding (" + padding + ") must be >= 0");
    }
  }

  @Override
  public Layer compile(Shape input, LayerSpec next) {
    Size2 s = stride == null ? Size2.of(1) : stride;
    Size2 p = padding == null ? Size2.of(0) : padding;
    return new Conv2dTransposeLayer(input, filters, new Window(kernel.h(), kernel.w(), s.h(), s.w(), p.h(), p.w()),
        outputPadding == null ? Size2.of(0) : outputPadding, LayerSpec.weightInit(init, next),
        bias == null || bias);
  }
}
