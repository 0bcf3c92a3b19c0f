package io.treeprop.jobs.data;

/** Image arithmetic on channel planes ({@code [channels, height, width]}, row-major). */
final class Pixels {
  private Pixels() {}

  /**
   * Bilinear resize of each channel plane, pixel centres aligned (source coordinate {@code (i + 0.5) · in / out −
   * 0.5}, clamped at the borders), as PyTorch's {@code interpolate(mode="bilinear", align_corners=False)} without
   * antialiasing.
   */
  static double[] resizeBilinear(double[] in, int channels, int h, int w, int outH, int outW) {
    double[] out = new double[channels * outH * outW];
    double sy = (double) h / outH;
    double sx = (double) w / outW;
    for (int y = 0; y < outH; y++) {
      double fy = Math.max(0, (y + 0.5) * sy - 0.5);
      int y0 = Math.min((int) fy, h - 1);
      int y1 = Math.min(y0 + 1, h - 1);
      double ay = fy - y0;
      for (int x = 0; x < outW; x++) {
        double fx = Math.max(0, (x + 0.5) * sx - 0.5);
        int x0 = Math.min((int) fx, w - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        double ax = fx - x0;
        for (int c = 0; c < channels; c++) {
          int p = c * h * w;
          double top = in[p + y0 * w + x0] * (1 - ax) + in[p + y0 * w + x1] * ax;
          double bottom = in[p + y1 * w + x0] * (1 - ax) + in[p + y1 * w + x1] * ax;
          out[c * outH * outW + y * outW + x] = top * (1 - ay) + bottom * ay;
        }
      }
    }
    return out;
  }
}
