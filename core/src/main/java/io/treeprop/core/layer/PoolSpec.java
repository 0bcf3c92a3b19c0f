package io.treeprop.core.layer;

import io.treeprop.core.tensor.Shape;

/** Specs of the parameter-free image layers: pooling, flatten and upsampling. */
public final class PoolSpec {
  private PoolSpec() {}

  /**
   * Max pooling, e.g. {@code {"type": "max_pool2d", "kernel": 2}}; see {@link Pool2dLayer}.
   *
   * @param kernel one number or {@code [kh, kw]}
   * @param stride default: the kernel
   * @param padding per side, default 0; at most half the kernel (PyTorch's rule)
   */
  public record MaxPool2d(Size2 kernel, Size2 stride, Size2 padding) implements LayerSpec {
    public MaxPool2d {
      check("max_pool2d", kernel, stride, padding);
    }

    public MaxPool2d(int k) {
      this(Size2.of(k), null, null);
    }

    @Override
    public Layer compile(Shape input, LayerSpec next) {
      return new Pool2dLayer(input, window(kernel, stride, padding), Pool2dLayer.Mode.MAX);
    }

    @Override
    public boolean transparentToInit() {
      return true;
    }
  }

  /**
   * Average pooling (padding counts as zeros), e.g. {@code {"type": "avg_pool2d", "kernel": 2}}; see
   * {@link Pool2dLayer}.
   *
   * @param kernel one number or {@code [kh, kw]}
   * @param stride default: the kernel
   * @param padding per side, default 0; at most half the kernel (PyTorch's rule)
   */
  public record AvgPool2d(Size2 kernel, Size2 stride, Size2 padding) implements LayerSpec {
    public AvgPool2d {
      check("avg_pool2d", kernel, stride, padding);
    }

    public AvgPool2d(int k) {
      this(Size2.of(k), null, null);
    }

    @Override
    public Layer compile(Shape input, LayerSpec next) {
      return new Pool2dLayer(input, window(kernel, stride, padding), Pool2dLayer.Mode.AVG);
    }

    @Override
    public boolean transparentToInit() {
      return true;
    }
  }

  /**
   * The mean of each channel over the whole image, {@code [c, h, w] -> [c, 1, 1]}: {@code {"type":
   * "global_avg_pool"}}; an average pooling whose window is the image (PyTorch's {@code AdaptiveAvgPool2d(1)}).
   */
  public record GlobalAvgPool() implements LayerSpec {
    @Override
    public Layer compile(Shape input, LayerSpec next) {
      if (!input.isImage()) {
        throw new IllegalArgumentException("global_avg_pool needs an image input [channels, height, width]; got "
            + input);
      }
      Window whole = new Window(input.height(), input.width(), input.height(), input.width(), 0, 0);
      return new Pool2dLayer(input, whole, Pool2dLayer.Mode.AVG);
    }

    @Override
    public boolean transparentToInit() {
      return true;
    }
  }

  /** Flattens an image to a vector: {@code {"type": "flatten"}}; see {@link FlattenLayer}. */
  public record Flatten() implements LayerSpec {
    @Override
    public Layer compile(Shape input, LayerSpec next) {
      return new FlattenLayer(input);
    }

    @Override
    public boolean transparentToInit() {
      return true;
    }
  }

  /**
   * Nearest-neighbour upsampling, e.g. {@code {"type": "upsample", "factor": 2}}; see {@link UpsampleLayer}.
   *
   * @param factor integer factor: one number or {@code [fh, fw]}
   */
  public record Upsample(Size2 factor) implements LayerSpec {
    public Upsample {
      if (factor == null || factor.h() <= 0 || factor.w() <= 0) {
        throw new IllegalArgumentException("upsample.factor (" + factor + ") is required and must be a positive "
            + "integer or [height, width]");
      }
    }

    @Override
    public Layer compile(Shape input, LayerSpec next) {
      return new UpsampleLayer(input, factor);
    }

    @Override
    public boolean transparentToInit() {
      return true;
    }
  }

  private static void check(String type, Size2 kernel, Size2 stride, Size2 padding) {
    if (kernel == null || kernel.h() <= 0 || kernel.w() <= 0) {
      throw new IllegalArgumentException(type + ".kernel (" + kernel + ") is required and must be positive: a "
          + "number or [height, width]");
    }
    if (stride != null && (stride.h() <= 0 || stride.w() <= 0)) {
      throw new IllegalArgumentException(type + ".stride (" + stride + ") must be positive");
    }
    if (padding != null && (padding.h() < 0 || padding.w() < 0 || 2 * padding.h() > kernel.h()
        || 2 * padding.w() > kernel.w())) {
      throw new IllegalArgumentException(type + ".padding (" + padding + ") must be >= 0 and at most half the "
          + "kernel (" + kernel + ")");
    }
  }

  private static Window window(Size2 kernel, Size2 stride, Size2 padding) {
    Size2 s = stride == null ? kernel : stride;
    Size2 p = padding == null ? Size2.of(0) : padding;
    return new Window(kernel.h(), kernel.w(), s.h(), s.w(), p.h(), p.w());
  }
}
