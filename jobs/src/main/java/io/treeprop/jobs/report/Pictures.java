package io.treeprop.jobs.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** What both charts share: headless set-up, the canvas, fonts and PNG encoding. */
final class Pictures {
  /** The report's typeface: Java's logical sans-serif font, present on every JDK with any font installed. */
  static final String FONT = Font.SANS_SERIF;

  private Pictures() {}

  /**
   * Sets {@code java.awt.headless=true} before the first AWT call, so that a report renders on a server without a
   * display. A JVM whose AWT already started with a display keeps it: the charts draw into off-screen images,
   * which work either way.
   */
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * An opaque white canvas with antialiased shapes and text.
   *
   * @throws IllegalStateException when the JVM cannot render text (a headless JDK without fontconfig or any font)
   */
  static BufferedImage canvas(int width, int height) {
    headless();
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setFont(new Font(FONT, Font.PLAIN, 12));
      g.getFontMetrics().stringWidth("0");
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Error | RuntimeException e) {
      throw new IllegalStateException("cannot render the report's pictures: Java finds no usable font (" + e
          + "); install fontconfig and a font, e.g. `apt-get install fontconfig fonts-dejavu-core`", e);
    } finally {
      g.dispose();
    }
    return img;
  }

  /** A graphics context on {@code img} with antialiasing on; the caller disposes it. */
  static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    return g;
  }

  /** The image as PNG bytes. */
  static byte[] png(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("this JVM has no PNG writer (javax.imageio)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a PNG in memory", e);
    }
    return out.toByteArray();
  }
}
