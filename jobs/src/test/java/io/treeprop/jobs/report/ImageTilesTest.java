package io.treeprop.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Images drawn into the report's 96-pixel boxes: small ones enlarged pixel for pixel, large ones shrunk. */
class ImageTilesTest {
  @Test
  void aSmallGreyImageIsEnlargedByAWholeFactorPixelForPixel() {
    double[] px = new double[5 * 4];
    for (int i = 0; i < px.length; i++) {
      px[i] = i * 13;
    }
    px[0] = -7; // clamped to 0
    px[1] = 300; // clamped to 255
    assertEquals(19, ImageTiles.scale(5, 4));
    BufferedImage img = draw(px, 1, 5, 4);
    int left = (96 - 4 * 19) / 2;
    int top = (96 - 5 * 19) / 2;
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 4; x++) {
        int v = (int) Math.max(0, Math.min(255, px[y * 4 + x]));
        for (int[] d : new int[][] {{0, 0}, {18, 18}}) {
          assertEquals((v << 16) | (v << 8) | v, img.getRGB(left + x * 19 + d[0], top + y * 19 + d[1]) & 0xFFFFFF);
        }
      }
    }
    assertEquals(0xFFFFFF, img.getRGB(left - 1, top) & 0xFFFFFF, "outside the image the canvas stays white");
  }

  @Test
  void aLargeColourImageIsShrunkToFitAndCentred() {
    int h = 100;
    int w = 200;
    double[] px = new double[3 * h * w];
    Arrays.fill(px, 0, h * w, 200); // R
    Arrays.fill(px, h * w, 2 * h * w, 100); // G
    Arrays.fill(px, 2 * h * w, 3 * h * w, 50); // B
    assertEquals(0, ImageTiles.scale(h, w));
    BufferedImage img = draw(px, 3, h, w);
    // 200 × 100 fits as 96 × 48, 24 pixels from the box's top
    assertEquals(0xFFFFFF, img.getRGB(48, 22) & 0xFFFFFF);
    assertEquals((200 << 16) | (100 << 8) | 50, img.getRGB(48, 48) & 0xFFFFFF);
    assertEquals(0xFFFFFF, img.getRGB(48, 74) & 0xFFFFFF);
  }

  @Test
  void otherChannelCountsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageTiles.image(new double[2 * 4], 2, 2, 2));
    assertTrue(e.getMessage().contains("1 (grey) or 3 (RGB) channels, received 2"), e.getMessage());
  }

  private static BufferedImage draw(double[] px, int channels, int h, int w) {
    BufferedImage img = Pictures.canvas(96, 96);
    Graphics2D g = Pictures.graphics(img);
    try {
      ImageTiles.draw(g, px, channels, h, w, 0, 0);
    } finally {
      g.dispose();
    }
    return img;
  }
}
