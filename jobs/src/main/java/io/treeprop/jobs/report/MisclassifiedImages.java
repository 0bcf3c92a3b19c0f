package io.treeprop.jobs.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Test images the classifier got wrong, for {@code misclassified.png} and {@code misclassified.csv}: up to
 * {@link #LIMIT} of them, the most confident mistakes first (the probability of the predicted class, highest
 * first; ties by row). The pixels are the data's own (0..255), not the scaled model inputs.
 *
 * <p>The picture: a title line of {@link #TITLE} pixels, then a grid of {@link #COLUMNS} tiles a row (fewer when
 * there are fewer images), each {@link #TILE_WIDTH} × {@link #TILE_HEIGHT}: the image in an
 * {@link ImageTiles#BOX}-pixel box {@link #IMAGE_LEFT} pixels from the tile's left edge and {@link #PAD} from its
 * top, under it the true class and the predicted one with its probability. The CSV lists the tiles in the same order (left to right, top to bottom):
 * {@code tile,row,true,predicted,probability}, where {@code row} is the image's position in the evaluated data as
 * read (0-based; file order for IDX, the order {@code score} writes for image folders).
 *
 * @param examples the tiles in order
 * @param misclassified how many test rows were misclassified in all
 * @param channels 1 (grey) or 3 (RGB)
 * @param labels class names by index
 */
public record MisclassifiedImages(List<Example> examples, long misclassified, int channels, int height, int width,
    List<String> labels) {
  /** Images shown at most. */
  public static final int LIMIT = 64;
  /** Tiles per grid row. */
  public static final int COLUMNS = 8;
  /** Space around each image in its tile. */
  public static final int PAD = 4;
  /** The title's height. */
  public static final int TITLE = 24;
  /** The caption's height under each image. */
  public static final int CAPTION = 28;
  /** Wide enough for a caption such as "pred T-shirt/top 0.99". */
  public static final int TILE_WIDTH = 128;
  /** The image's left edge in its tile: centred. */
  public static final int IMAGE_LEFT = (TILE_WIDTH - ImageTiles.BOX) / 2;
  public static final int TILE_HEIGHT = ImageTiles.BOX + CAPTION + 2 * PAD;
  private static final Color WRONG = new Color(0xb0, 0x1c, 0x1c);

  /**
   * One misclassified image.
   *
   * @param row its position in the evaluated data (0-based)
   * @param truth the true class index
   * @param predicted the predicted class index
   * @param probability the predicted class's probability
   * @param pixels the image, {@code [channels, height, width]}, as the data holds it
   */
  public record Example(long row, int truth, int predicted, double probability, double[] pixels) {}

  public MisclassifiedImages {
    examples = List.copyOf(examples);
    labels = List.copyOf(labels);
    if (examples.size() > LIMIT) {
      throw new IllegalArgumentException("at most " + LIMIT + " misclassified images are shown, received "
          + examples.size());
    }
  }

  /** The grid picture; null when nothing was misclassified. */
  BufferedImage render() {
    if (examples.isEmpty()) {
      return null;
    }
    int cols = Math.min(COLUMNS, examples.size());
    int rows = (examples.size() + COLUMNS - 1) / COLUMNS;
    BufferedImage img = Pictures.canvas(cols * TILE_WIDTH, TITLE + rows * TILE_HEIGHT);
    Graphics2D g = Pictures.graphics(img);
    try {
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Pictures.FONT, Font.BOLD, 12));
      g.drawString(String.format(Locale.ROOT, "%d of %,d misclassified (most confident first)", examples.size(),
          misclassified), PAD, 16);
      g.setFont(new Font(Pictures.FONT, Font.PLAIN, 10));
      for (int i = 0; i < examples.size(); i++) {
        Example e = examples.get(i);
        int x = (i % COLUMNS) * TILE_WIDTH;
        int y = TITLE + (i / COLUMNS) * TILE_HEIGHT;
        ImageTiles.draw(g, e.pixels(), channels, height, width, x + IMAGE_LEFT, y + PAD);
        int base = y + PAD + ImageTiles.BOX + 12;
        g.setColor(Color.DARK_GRAY);
        g.drawString(fit(g.getFontMetrics(), "true " + labels.get(e.truth())), x + PAD, base);
        g.setColor(WRONG);
        g.drawString(fit(g.getFontMetrics(), String.format(Locale.ROOT, "pred %s %.2f", labels.get(e.predicted()),
            e.probability())), x + PAD, base + 12);
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /** The CSV listing the tiles. */
  byte[] csv() {
    StringBuilder sb = new StringBuilder("tile,row,true,predicted,probability\n");
    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      sb.append(i).append(',').append(e.row()).append(',').append(quote(labels.get(e.truth()))).append(',')
          .append(quote(labels.get(e.predicted()))).append(',')
          .append(String.format(Locale.ROOT, "%.6f", e.probability())).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The text, shortened with an ellipsis to the tile's width. */
  private static String fit(FontMetrics fm, String s) {
    int max = TILE_WIDTH - 2 * PAD;
    if (fm.stringWidth(s) <= max) {
      return s;
    }
    String t = s;
    while (t.length() > 1 && fm.stringWidth(t + "…") > max) {
      t = t.substring(0, t.length() - 1);
    }
    return t + "…";
  }

  /** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
