package io.treeprop.jobs.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * An autoencoder's test images for {@code reconstruction.png}: one column per image, a row of the inputs, a row of
 * the noisy inputs the network saw (when it has noise layers at its start) and a row of its reconstructions of
 * them, all in the data's own units (0..255: the reconstructions are unscaled and clamped).
 *
 * <p>Layout: a {@link #LABEL_WIDTH}-pixel column naming the rows, then {@link ImageTiles#BOX}-pixel images with
 * {@link #PAD} pixels around each; every row {@link #ROW_HEIGHT} high.
 *
 * @param channels 1 (grey) or 3 (RGB)
 * @param inputs the images as read, {@code [channels, height, width]} each
 * @param noisy the corrupted inputs, or null when the network adds no noise
 * @param reconstructions the network's outputs for {@code noisy} (or the inputs), unscaled
 */
public record ReconstructionGrid(int channels, int height, int width, List<double[]> inputs, List<double[]> noisy,
    List<double[]> reconstructions) {
  /** Images shown at most. */
  public static final int LIMIT = 12;
  public static final int PAD = 4;
  public static final int LABEL_WIDTH = 110;
  public static final int ROW_HEIGHT = ImageTiles.BOX + 2 * PAD;

  public ReconstructionGrid {
    inputs = List.copyOf(inputs);
    noisy = noisy == null ? null : List.copyOf(noisy);
    reconstructions = List.copyOf(reconstructions);
    if (inputs.isEmpty() || inputs.size() > LIMIT || reconstructions.size() != inputs.size()
        || noisy != null && noisy.size() != inputs.size()) {
      throw new IllegalArgumentException("a reconstruction grid shows 1 to " + LIMIT + " images with one "
          + "reconstruction (and noisy input) each, received " + inputs.size() + " inputs, "
          + (noisy == null ? "no" : noisy.size()) + " noisy, " + reconstructions.size() + " reconstructions");
    }
  }

  /** The picture's rows, top to bottom. */
  List<String> rowNames() {
    return noisy == null ? List.of("input", "reconstruction") : List.of("input", "noisy input", "reconstruction");
  }

  BufferedImage render() {
    List<List<double[]>> rows = noisy == null ? List.of(inputs, reconstructions)
        : List.of(inputs, noisy, reconstructions);
    List<String> names = rowNames();
    BufferedImage img = Pictures.canvas(LABEL_WIDTH + inputs.size() * (ImageTiles.BOX + 2 * PAD),
        rows.size() * ROW_HEIGHT);
    Graphics2D g = Pictures.graphics(img);
    try {
      g.setFont(new Font(Pictures.FONT, Font.BOLD, 12));
      for (int r = 0; r < rows.size(); r++) {
        int y = r * ROW_HEIGHT;
        g.setColor(Color.DARK_GRAY);
        g.drawString(names.get(r), PAD, y + ROW_HEIGHT / 2 + 4);
        for (int i = 0; i < inputs.size(); i++) {
          ImageTiles.draw(g, rows.get(r).get(i), channels, height, width,
              LABEL_WIDTH + i * (ImageTiles.BOX + 2 * PAD) + PAD, y + PAD);
        }
      }
    } finally {
      g.dispose();
    }
    return img;
  }
}
