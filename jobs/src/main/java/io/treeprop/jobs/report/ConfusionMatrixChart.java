package io.treeprop.jobs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * {@code confusion-matrix.png}: a heat map with true classes as rows (top to bottom) and predicted classes as
 * columns, class names on both axes and the row count in each cell. A cell's colour is its share of the true
 * class's rows (the row-normalised matrix, i.e. recall on the diagonal), so a rare class reads as clearly as a
 * common one; the counts say how many rows that is. A colour bar explains the scale.
 *
 * <p>Drawn with Java2D rather than XChart's heat map, which colours by the printed value and uses one text
 * colour for every cell. The picture is {@value #WIDTH} pixels wide and at most {@value #MAX_HEIGHT} high (less
 * when the column names are short); with many classes the cells shrink, counts are left out once they no longer
 * fit and only every n-th class name is written.
 */
final class ConfusionMatrixChart {
  static final int WIDTH = 960;
  static final int MAX_HEIGHT = 860;
  private static final int MAX_COUNT_FONT = 18;
  static final int GRID = 600;
  static final int LEFT = 210;
  static final int TOP = 70;
  private static final int LABEL_SPACE = 170;
  private static final int BAR_GAP = 24;
  private static final int BAR_WIDTH = 22;
  private static final Color LOW = new Color(0xf7, 0xfb, 0xff);
  private static final Color HIGH = new Color(0x08, 0x30, 0x6b);
  static final Color NO_ROWS = new Color(0xee, 0xee, 0xee);
  private static final Color TEXT = new Color(0x22, 0x22, 0x22);

  private ConfusionMatrixChart() {}

  /** The heat map of {@code r}'s confusion matrix. */
  static BufferedImage render(ClassificationReport r) {
    BufferedImage img = Pictures.canvas(WIDTH, MAX_HEIGHT);
    Graphics2D g = Pictures.graphics(img);
    int height;
    try {
      int k = r.labels().size();
      // Whole pixels per cell keep the grid crisp; beyond GRID classes a cell is a fraction of a pixel.
      double cell = k <= GRID ? GRID / k : (double) GRID / k;
      int size = (int) Math.round(cell * k);
      title(g, r);
      cells(g, r.confusionMatrix(), cell);
      g.setColor(Color.GRAY);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(LEFT, TOP, size, size);
      int left = rowLabels(g, r.labels(), cell);
      int below = columnLabels(g, r.labels(), cell);
      height = Math.min(MAX_HEIGHT, axisTitles(g, size, left, below) + 20);
      colourBar(g, size);
    } finally {
      g.dispose();
    }
    return img.getSubimage(0, 0, WIDTH, height);
  }

  private static void title(Graphics2D g, ClassificationReport r) {
    g.setColor(TEXT);
    g.setFont(new Font(Pictures.FONT, Font.BOLD, 20));
    String t = String.format(Locale.ROOT, "Confusion matrix — %,d rows, accuracy %.4f", r.rows(), r.accuracy());
    centre(g, t, LEFT + GRID / 2, TOP - 28);
  }

  private static void cells(Graphics2D g, long[][] m, double cell) {
    int k = m.length;
    Font font = countFont(g, m, cell);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    for (int t = 0; t < k; t++) {
      long support = 0;
      for (long c : m[t]) {
        support += c;
      }
      for (int p = 0; p < k; p++) {
        double share = support == 0 ? Double.NaN : (double) m[t][p] / support;
        double x = LEFT + p * cell;
        double y = TOP + t * cell;
        g.setColor(support == 0 ? NO_ROWS : shade(share));
        g.fill(new Rectangle2D.Double(x, y, cell, cell));
        if (font != null) {
          g.setFont(font);
          g.setColor(share > 0.5 ? Color.WHITE : TEXT);
          FontMetrics fm = g.getFontMetrics();
          String s = Long.toString(m[t][p]);
          g.drawString(s, (float) (x + (cell - fm.stringWidth(s)) / 2),
              (float) (y + (cell + fm.getAscent() - fm.getDescent()) / 2));
        }
      }
    }
    if (cell >= 4) {
      g.setColor(new Color(255, 255, 255, 160));
      for (int i = 1; i < k; i++) {
        g.draw(new Line2D.Double(LEFT + i * cell, TOP, LEFT + i * cell, TOP + k * cell));
        g.draw(new Line2D.Double(LEFT, TOP + i * cell, LEFT + k * cell, TOP + i * cell));
      }
    }
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
  }

  /**
   * The largest font (at most {@value #MAX_COUNT_FONT} pt) in which every count fits its cell, or null when even
   * 8 pt does not.
   */
  private static Font countFont(Graphics2D g, long[][] m, double cell) {
    long max = 0;
    for (long[] row : m) {
      for (long c : row) {
        max = Math.max(max, c);
      }
    }
    String widest = "8".repeat(Long.toString(max).length());
    for (int size = MAX_COUNT_FONT; size >= 8; size--) {
      Font f = new Font(Pictures.FONT, Font.PLAIN, size);
      FontMetrics fm = g.getFontMetrics(f);
      if (fm.stringWidth(widest) <= cell - 4 && fm.getAscent() <= cell - 4) {
        return f;
      }
    }
    return null;
  }

  /** Linear blend from {@link #LOW} (share 0) to {@link #HIGH} (share 1). */
  static Color shade(double share) {
    double s = Math.max(0, Math.min(1, share));
    return new Color(mix(LOW.getRed(), HIGH.getRed(), s), mix(LOW.getGreen(), HIGH.getGreen(), s),
        mix(LOW.getBlue(), HIGH.getBlue(), s));
  }

  private static int mix(int a, int b, double s) {
    return (int) Math.round(a + (b - a) * s);
  }

  /** Writes the row names right-aligned left of the grid; returns the widest one's width. */
  private static int rowLabels(Graphics2D g, List<String> labels, double cell) {
    Font f = labelFont(cell);
    g.setFont(f);
    g.setColor(TEXT);
    FontMetrics fm = g.getFontMetrics();
    int every = every(fm, cell);
    int widest = 0;
    for (int t = 0; t < labels.size(); t += every) {
      String s = fit(fm, labels.get(t), LABEL_SPACE - 12);
      double y = TOP + t * cell + (cell + fm.getAscent() - fm.getDescent()) / 2;
      g.drawString(s, LEFT - 8 - fm.stringWidth(s), (float) y);
      widest = Math.max(widest, fm.stringWidth(s));
    }
    return widest;
  }

  /** Writes the column names, horizontally when they all fit their cells, else at 45°; returns their height. */
  private static int columnLabels(Graphics2D g, List<String> labels, double cell) {
    Font f = labelFont(cell);
    g.setFont(f);
    g.setColor(TEXT);
    FontMetrics fm = g.getFontMetrics();
    int every = every(fm, cell);
    int widest = 0;
    for (String l : labels) {
      widest = Math.max(widest, fm.stringWidth(fit(fm, l, LABEL_SPACE - 12)));
    }
    int base = TOP + (int) Math.round(labels.size() * cell);
    if (widest <= cell * every - 6) {
      for (int p = 0; p < labels.size(); p += every) {
        centre(g, labels.get(p), (int) Math.round(LEFT + p * cell + cell / 2), base + 8 + fm.getAscent());
      }
      return fm.getHeight() + 8;
    }
    for (int p = 0; p < labels.size(); p += every) {
      String s = fit(fm, labels.get(p), LABEL_SPACE - 12);
      AffineTransform saved = g.getTransform();
      // Anchor each name's end under its column and slant it down-left, so long names do not overlap.
      g.translate(LEFT + p * cell + cell / 2 + fm.getAscent() / 3, base + 8);
      g.rotate(-Math.PI / 4);
      g.drawString(s, -fm.stringWidth(s), fm.getAscent() / 2);
      g.setTransform(saved);
    }
    return (int) Math.ceil(widest / Math.sqrt(2)) + fm.getHeight() + 8;
  }

  private static Font labelFont(double cell) {
    return new Font(Pictures.FONT, Font.PLAIN, (int) Math.max(9, Math.min(14, cell - 2)));
  }

  /** Write every n-th name so that names are at least one text line apart. */
  private static int every(FontMetrics fm, double cell) {
    return Math.max(1, (int) Math.ceil((double) fm.getHeight() / cell));
  }

  /** {@code s}, shortened with an ellipsis to at most {@code width} pixels. */
  static String fit(FontMetrics fm, String s, int width) {
    if (fm.stringWidth(s) <= width) {
      return s;
    }
    int n = s.length();
    while (n > 1 && fm.stringWidth(s.substring(0, n) + "…") > width) {
      n--;
    }
    return s.substring(0, n) + "…";
  }

  /** Writes both axis titles; returns the bottom of the lower one. */
  private static int axisTitles(Graphics2D g, int size, int left, int below) {
    g.setColor(TEXT);
    g.setFont(new Font(Pictures.FONT, Font.BOLD, 15));
    FontMetrics fm = g.getFontMetrics();
    int baseline = TOP + size + below + 8 + fm.getAscent();
    centre(g, "Predicted class", LEFT + size / 2, baseline);
    AffineTransform saved = g.getTransform();
    g.translate(LEFT - 8 - left - 16, TOP + size / 2);
    g.rotate(-Math.PI / 2);
    centre(g, "True class", 0, 0);
    g.setTransform(saved);
    return baseline + fm.getDescent();
  }

  private static void colourBar(Graphics2D g, int size) {
    int x = LEFT + size + BAR_GAP;
    g.setPaint(new GradientPaint(0, TOP + size, LOW, 0, TOP, HIGH));
    g.fillRect(x, TOP, BAR_WIDTH, size);
    g.setColor(Color.GRAY);
    g.drawRect(x, TOP, BAR_WIDTH, size);
    g.setFont(new Font(Pictures.FONT, Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();
    g.setColor(TEXT);
    for (int pct = 0; pct <= 100; pct += 25) {
      int y = TOP + size - size * pct / 100;
      g.drawLine(x + BAR_WIDTH, y, x + BAR_WIDTH + 4, y);
      g.drawString(pct + "%", x + BAR_WIDTH + 7, y + (fm.getAscent() - fm.getDescent()) / 2);
    }
    AffineTransform saved = g.getTransform();
    g.translate(x + BAR_WIDTH + 58, TOP + size / 2);
    g.rotate(Math.PI / 2);
    centre(g, "share of the true class's rows", 0, 0);
    g.setTransform(saved);
  }

  private static void centre(Graphics2D g, String s, int cx, int baseline) {
    g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
  }
}
