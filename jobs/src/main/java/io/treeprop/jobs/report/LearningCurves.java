package io.treeprop.jobs.report;

import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.TrainingSummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code learning-curves.png}: training and validation loss per epoch, and beside it training and validation
 * accuracy when the history has them, drawn with XChart. The epoch whose weights the model keeps (early stopping's
 * best epoch) is marked. Panels are {@value #PANEL_WIDTH} × {@value #HEIGHT} pixels.
 */
final class LearningCurves {
  static final int PANEL_WIDTH = 720;
  static final int HEIGHT = 480;
  static final Color TRAIN = new Color(0x1f, 0x77, 0xb4);
  static final Color VALIDATION = new Color(0xd6, 0x27, 0x28);
  private static final Color BEST = new Color(0x2c, 0xa0, 0x2c);

  private LearningCurves() {}

  /** Whether {@code s} has any epoch to draw. */
  static boolean drawable(TrainingSummary s) {
    return s != null && !s.epochs().isEmpty();
  }

  /** Whether the history has an accuracy to draw, hence a second panel. */
  static boolean hasAccuracy(TrainingSummary s) {
    return s.epochs().stream().anyMatch(e -> e.trainAccuracy() != null || e.validationAccuracy() != null);
  }

  /**
   * The picture: one panel for loss, a second for accuracy when present.
   *
   * @param lossName the loss's name for the axis title, or null
   */
  static BufferedImage render(TrainingSummary s, String lossName) {
    if (!drawable(s)) {
      throw new IllegalArgumentException("no training history to draw learning curves from");
    }
    List<XYChart> panels = new ArrayList<>();
    // Loss falls and accuracy rises, so each legend goes in the corner its curves leave empty.
    panels.add(panel(s, "Loss per epoch", lossName == null ? "Loss" : "Loss (" + lossName + ")",
        EpochMetrics::trainLoss, EpochMetrics::validationLoss, Styler.LegendPosition.InsideNE));
    if (hasAccuracy(s)) {
      panels.add(panel(s, "Accuracy per epoch", "Accuracy", EpochMetrics::trainAccuracy,
          EpochMetrics::validationAccuracy, Styler.LegendPosition.InsideSE));
    }
    BufferedImage img = Pictures.canvas(PANEL_WIDTH * panels.size(), HEIGHT);
    Graphics2D g = Pictures.graphics(img);
    try {
      for (XYChart c : panels) {
        c.paint(g, PANEL_WIDTH, HEIGHT);
        g.translate(PANEL_WIDTH, 0);
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  private static XYChart panel(TrainingSummary s, String title, String yTitle,
      Function<EpochMetrics, Double> train, Function<EpochMetrics, Double> validation,
      Styler.LegendPosition legend) {
    XYChart c = new XYChart(PANEL_WIDTH, HEIGHT);
    c.setTitle(title);
    c.setXAxisTitle("Epoch");
    c.setYAxisTitle(yTitle);
    style(c.getStyler(), s);
    c.getStyler().setLegendPosition(legend);
    series(c, "training", s, train, TRAIN);
    boolean hasValidation = series(c, "validation", s, validation, VALIDATION);
    Integer best = s.bestEpoch();
    if (best != null) {
      Function<EpochMetrics, Double> on = hasValidation ? validation : train;
      s.epochs().stream().filter(e -> e.epoch() == best && finite(on.apply(e))).findFirst().ifPresent(e -> {
        XYSeries m = c.addSeries("kept: epoch " + best, new double[] {best}, new double[] {on.apply(e)});
        m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        m.setMarker(SeriesMarkers.DIAMOND);
        m.setMarkerColor(BEST);
        c.addAnnotation(new AnnotationLine(best, true, false));
      });
    }
    return c;
  }

  /** Adds the finite points of one curve; returns whether there were any. */
  private static boolean series(XYChart c, String name, TrainingSummary s, Function<EpochMetrics, Double> value,
      Color color) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (EpochMetrics e : s.epochs()) {
      Double v = value.apply(e);
      if (finite(v)) {
        x.add((double) e.epoch());
        y.add(v);
      }
    }
    if (x.isEmpty()) {
      return false;
    }
    XYSeries line = c.addSeries(name, x, y);
    line.setLineColor(color);
    line.setMarkerColor(color);
    line.setMarker(SeriesMarkers.CIRCLE);
    line.setLineStyle(new BasicStroke(2.2f));
    return true;
  }

  private static boolean finite(Double v) {
    return v != null && Double.isFinite(v);
  }

  private static void style(XYStyler st, TrainingSummary s) {
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotBorderColor(Color.GRAY);
    st.setPlotGridLinesColor(new Color(0xe0, 0xe0, 0xe0));
    st.setChartTitleBoxVisible(false);
    st.setChartTitleFont(new Font(Pictures.FONT, Font.BOLD, 18));
    st.setAxisTitleFont(new Font(Pictures.FONT, Font.PLAIN, 15));
    st.setAxisTickLabelsFont(new Font(Pictures.FONT, Font.PLAIN, 13));
    st.setLegendFont(new Font(Pictures.FONT, Font.PLAIN, 14));
    st.setLegendBorderColor(Color.LIGHT_GRAY);
    st.setMarkerSize(8);
    st.setAnnotationLineColor(BEST);
    st.setAnnotationLineStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {6f, 4f}, 0f));
    st.setChartPadding(12);
    int first = s.epochs().stream().mapToInt(EpochMetrics::epoch).min().orElse(1);
    int last = s.epochs().stream().mapToInt(EpochMetrics::epoch).max().orElse(1);
    st.setXAxisMin(first - (last == first ? 1.0 : 0.0));
    st.setXAxisMax(last + (last == first ? 1.0 : 0.0));
    // Epochs are whole numbers: label only integral ticks, so a tick at 2.5 never reads as "3".
    st.setxAxisTickLabelsFormattingFunction(v -> v == Math.rint(v) ? Long.toString(Math.round(v)) : "");
  }
}
