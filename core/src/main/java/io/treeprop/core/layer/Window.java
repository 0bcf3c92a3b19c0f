package io.treeprop.core.layer;

import io.treeprop.core.tensor.Shape;

/**
 * The sliding window of a convolution or pooling layer over an image {@code [c, h, w]}: kernel, stride and zero
 * padding (the same on both sides of a dimension).
 *
 * <pre>
 * outH = ⌊(h + 2·padH − kernelH) / strideH⌋ + 1,   outW likewise
 * output (oy, ox) reads input rows oy·strideH − padH … + kernelH − 1, columns likewise
 * </pre>
 */
public record Window(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
  public Window {
    if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0) {
      throw new IllegalArgumentException("kernel " + kernelH + "x" + kernelW + " and stride " + strideH + "x"
          + strideW + " must be positive and padding " + padH + "x" + padW + " non-negative");
    }
  }

  /**
   * Checks that the window fits an input image and returns its output height and width.
   *
   * @param layer the layer type for messages, e.g. {@code conv2d}
   * @throws IllegalArgumentException naming the layer, the input and the rule when the input is not an image or
   *     the kernel does not fit
   */
  public int[] outputSize(String layer, Shape input) {
    if (!input.isImage()) {
      throw new IllegalArgumentException(layer + " needs an image input [channels, height, width], receives "
          + input);
    }
    int h = input.height() + 2 * padH;
    int w = input.width() + 2 * padW;
    if (kernelH > h || kernelW > w) {
      throw new IllegalArgumentException(layer + ".kernel " + kernelH + "x" + kernelW + " does not fit input "
          + input.height() + "x" + input.width() + " with padding " + padH + "x" + padW
          + ": the kernel must not exceed the padded input");
    }
    return new int[] {(h - kernelH) / strideH + 1, (w - kernelW) / strideW + 1};
  }
}
