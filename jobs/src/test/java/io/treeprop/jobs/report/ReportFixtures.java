package io.treeprop.jobs.report;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.TrainingSummary;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/** Reports and training histories the report tests share, and picture checks. */
final class ReportFixtures {
  private ReportFixtures() {}

  /** Ten epochs of falling loss and rising accuracy, with and without validation numbers; epoch 8 kept. */
  static TrainingSummary tenEpochs(boolean accuracy) {
    List<EpochMetrics> e = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      double train = 0.2 + 0.6 / i;
      double val = 0.3 + 0.4 / i + (i > 8 ? 0.01 * (i - 8) : 0);
      e.add(new EpochMetrics(i, 100L * i, train, accuracy ? 0.95 - 0.3 / i : null, val,
          accuracy ? 0.9 - 0.2 / i : null, 1e-3, 2.5));
    }
    return new TrainingSummary(e, 8, "early stopping: validation_loss did not improve for 2 epochs", 1000, 25.0);
  }

  static Report animals(TrainingSummary training) {
    return Report.builder()
        .setClassification(ClassificationReport.of(ClassificationReportTest.animals(),
            ClassificationReportTest.ANIMALS))
        .optTraining(training).optLoss("categorical_cross_entropy").optModelLocation("/models/animals")
        .optData("animals.csv").build();
  }

  static Report regression(TrainingSummary training) {
    RegressionStats s = RegressionReportTest.of(new double[] {1, 2, 3, 4}, new double[] {1.5, 2, 2, 5});
    return Report.builder().setRegression(RegressionReport.of(s, List.of("price"))).optTraining(training)
        .optLoss("mse").build();
  }

  /** Decodes a PNG, failing when it does not decode. */
  static BufferedImage decode(byte[] png) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(img, "the bytes do not decode as an image");
    return img;
  }

  /** Asserts the picture is not blank: many distinct colours, and a spread of brightness. */
  static void assertNotBlank(BufferedImage img) {
    Set<Integer> colours = new HashSet<>();
    double sum = 0;
    double sumSq = 0;
    long n = (long) img.getWidth() * img.getHeight();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        double lum = ((rgb >> 16) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3.0;
        sum += lum;
        sumSq += lum * lum;
      }
    }
    double variance = sumSq / n - (sum / n) * (sum / n);
    assertTrue(colours.size() > 20, "only " + colours.size() + " colours");
    assertTrue(variance > 100, "brightness variance " + variance);
  }

  /** Pixels of exactly colour {@code rgb}. */
  static int count(BufferedImage img, java.awt.Color c) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == (c.getRGB() & 0xffffff)) {
          n++;
        }
      }
    }
    return n;
  }
}
