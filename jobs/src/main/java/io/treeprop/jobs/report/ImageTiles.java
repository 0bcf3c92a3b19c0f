package io.treeprop.jobs.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Draws images given as pixel planes ({@code [channels, height, width]}, row-major, values 0..255 as the data
 * holds them) into a report picture: one grey channel or three (R, G, B), each fitted into a square box of
 * {@link #BOX} pixels. An image no larger than the box is enlarged by the largest whole factor that fits, pixel for
 * pixel (nearest neighbour, so every pixel of the data is a sharp square); a larger one is shrunk to fit
 * (bilinear). Values outside 0..255 are clamped.
 */
final class ImageTiles {
  /** The side of the square each image is fitted into. */
  static final int BOX = 96;

  private ImageTiles() {}

  /** The whole factor an image of {@code h × w} is enlarged by, or 0 when it is shrunk. */
  static int scale(int h, int w) {
    return Math.max(h, w) <= BOX ? BOX / Math.max(h, w) : 0;
  }

  /** The image as a picture of its own size. */
  static BufferedImage image(double[] pixels, int channels, int h, int w) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("an image tile needs 1 (grey) or 3 (RGB) channels, received " + channels);
    }
    if (pixels.length != channels * h * w) {
      throw new IllegalArgumentException("an image of [" + channels + ", " + h + ", " + w + "] has "
          + channels * h * w + " values, received " + pixels.length);
    }
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int plane = h * w;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        int r = byteOf(pixels[p]);
        int g = channels == 1 ? r : byteOf(pixels[plane + p]);
        int b = channels == 1 ? r : byteOf(pixels[2 * plane + p]);
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  /** Draws the image centred in the box whose top-left corner is {@code (x, y)}. */
  static void draw(Graphics2D g, double[] pixels, int channels, int h, int w, int x, int y) {
    BufferedImage img = image(pixels, channels, h, w);
    int s = scale(h, w);
    int dw;
    int dh;
    Object interpolation;
    if (s > 0) {
      dw = w * s;
      dh = h * s;
      interpolation = RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR;
    } else {
      double f = (double) BOX / Math.max(h, w);
      dw = Math.max(1, (int) Math.round(w * f));
      dh = Math.max(1, (int) Math.round(h * f));
      interpolation = RenderingHints.VALUE_INTERPOLATION_BILINEAR;
    }
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
    g.drawImage(img, x + (BOX - dw) / 2, y + (BOX - dh) / 2, dw, dh, null);
  }

  private static int byteOf(double v) {
    return (int) Math.round(Math.max(0, Math.min(255, v)));
  }
}
