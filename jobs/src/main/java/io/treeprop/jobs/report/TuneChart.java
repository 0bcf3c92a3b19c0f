package io.treeprop.jobs.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A tune's {@code results.png}, drawn with XChart: each trial's mean metric over its folds with a ±1 standard
 * deviation error bar, by trial number (the results table says what each number tried), the best trial marked.
 * Trials without a metric (training diverged) are left out. {@value #WIDTH} × {@value #HEIGHT} pixels.
 */
public final class TuneChart {
  static final int WIDTH = 900;
  static final int HEIGHT = 520;

  private TuneChart() {}

  /**
   * One trial's point.
   *
   * @param trial its number
   * @param mean the metric's mean over the folds
   * @param std its standard deviation over the folds
   */
  public record Point(int trial, double mean, double std) {}

  /**
   * The chart as PNG bytes.
   *
   * @param metric the metric's name, e.g. {@code accuracy}
   * @param folds the folds each mean is over (1 for a held-out split)
   * @param best the best trial's number
   */
  public static byte[] png(List<Point> points, String metric, int folds, int best) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("no trial has a metric to draw");
    }
    XYChart c = new XYChart(WIDTH, HEIGHT);
    c.setTitle(metric + " per trial" + (folds > 1 ? " (mean ± std over " + folds + " folds)" : " (held-out rows)")
        + "; best: trial " + best);
    c.setXAxisTitle("Trial");
    c.setYAxisTitle(metric);
    style(c.getStyler(), points);
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    List<Double> err = new ArrayList<>();
    for (Point p : points) {
      x.add((double) p.trial());
      y.add(p.mean());
      err.add(p.std());
    }
    XYSeries all = c.addSeries("trials", x, y, err);
    all.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    all.setMarker(SeriesMarkers.CIRCLE);
    all.setMarkerColor(LearningCurves.TRAIN);
    Point b = points.stream().filter(p -> p.trial() == best).findFirst().orElseThrow();
    XYSeries mark = c.addSeries("best: trial " + best, new double[] {best}, new double[] {b.mean()});
    mark.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    mark.setMarker(SeriesMarkers.DIAMOND);
    mark.setMarkerColor(LearningCurves.VALIDATION);
    BufferedImage img = Pictures.canvas(WIDTH, HEIGHT);
    Graphics2D g = Pictures.graphics(img);
    try {
      c.paint(g, WIDTH, HEIGHT);
    } finally {
      g.dispose();
    }
    return Pictures.png(img);
  }

  private static void style(XYStyler st, List<Point> points) {
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotBorderColor(Color.GRAY);
    st.setPlotGridLinesColor(new Color(0xe0, 0xe0, 0xe0));
    st.setChartTitleBoxVisible(false);
    st.setChartTitleFont(new Font(Pictures.FONT, Font.BOLD, 16));
    st.setAxisTitleFont(new Font(Pictures.FONT, Font.PLAIN, 15));
    st.setAxisTickLabelsFont(new Font(Pictures.FONT, Font.PLAIN, 13));
    st.setLegendFont(new Font(Pictures.FONT, Font.PLAIN, 14));
    st.setLegendBorderColor(Color.LIGHT_GRAY);
    st.setMarkerSize(10);
    st.setErrorBarsColor(Color.GRAY);
    st.setChartPadding(12);
    int first = points.stream().mapToInt(Point::trial).min().orElse(1);
    int last = points.stream().mapToInt(Point::trial).max().orElse(1);
    // whole-number bounds put the ticks on whole numbers (half-way bounds put them half-way, and left unlabelled)
    st.setXAxisMin(first - 1.0);
    st.setXAxisMax(last + 1.0);
    // trial numbers are whole: label only integral ticks
    st.setxAxisTickLabelsFormattingFunction(v -> v == Math.rint(v) ? Long.toString(Math.round(v)) : "");
  }
}
