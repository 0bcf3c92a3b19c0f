package io.treeprop.jobs.report;

import static io.treeprop.jobs.report.ClassificationReportTest.assertMessage;
import static io.treeprop.jobs.report.ReportFixtures.assertNotBlank;
import static io.treeprop.jobs.report.ReportFixtures.count;
import static io.treeprop.jobs.report.ReportFixtures.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.treeprop.core.model.Json;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir
  Path tmp;

  @Test
  void classificationReportWritesEveryFileToALocalFilePathAndNothingElse() throws Exception {
    org.apache.hadoop.fs.Path written = ReportFixtures.animals(ReportFixtures.tenEpochs(true))
        .write(hadoop("file:", tmp.resolve("report")), new Configuration(), false);
    assertEquals("file", written.toUri().getScheme());
    assertEquals(List.of("confusion-matrix.png", "learning-curves.png", "metrics.json", "summary.txt"),
        list(tmp.resolve("report")));
    // no temporary or old sibling is left next to it
    assertEquals(List.of("report"), list(tmp));
  }

  @Test
  void picturesDecodeAtTheirSizeAndShowTheData() throws Exception {
    Map<String, byte[]> files = ReportFixtures.animals(ReportFixtures.tenEpochs(true)).render();
    BufferedImage curves = decode(files.get(Report.LEARNING_CURVES_PNG));
    assertEquals(2 * LearningCurves.PANEL_WIDTH, curves.getWidth(), "loss and accuracy panels");
    assertEquals(LearningCurves.HEIGHT, curves.getHeight());
    assertNotBlank(curves);
    // both curves are drawn in both panels, in their colours
    for (int panel = 0; panel < 2; panel++) {
      BufferedImage p = curves.getSubimage(panel * LearningCurves.PANEL_WIDTH, 0, LearningCurves.PANEL_WIDTH,
          LearningCurves.HEIGHT);
      assertTrue(count(p, LearningCurves.TRAIN) > 100, "training curve in panel " + panel);
      assertTrue(count(p, LearningCurves.VALIDATION) > 100, "validation curve in panel " + panel);
    }

    BufferedImage cm = decode(files.get(Report.CONFUSION_MATRIX_PNG));
    assertEquals(ConfusionMatrixChart.WIDTH, cm.getWidth());
    assertTrue(cm.getHeight() > ConfusionMatrixChart.TOP + ConfusionMatrixChart.GRID
        && cm.getHeight() <= ConfusionMatrixChart.MAX_HEIGHT, "height " + cm.getHeight());
    assertNotBlank(cm);
    // Each cell is coloured by its share of the true class's rows, rows = truth: the top row (cat: 2 1 0 1 0)
    // has cat→cat at 2/4, cat→dog at 1/4; dog→cat (second row, first column) is 1/3; fish has no rows (grey).
    long[][] m = ClassificationReportTest.animals().toArray();
    int cell = ConfusionMatrixChart.GRID / 5;
    for (int t = 0; t < 5; t++) {
      long support = java.util.Arrays.stream(m[t]).sum();
      for (int p = 0; p < 5; p++) {
        int rgb = cm.getRGB(ConfusionMatrixChart.LEFT + p * cell + 3, ConfusionMatrixChart.TOP + t * cell + 3);
        java.awt.Color expected = support == 0 ? ConfusionMatrixChart.NO_ROWS
            : ConfusionMatrixChart.shade((double) m[t][p] / support);
        assertEquals(Integer.toHexString(expected.getRGB() & 0xffffff), Integer.toHexString(rgb & 0xffffff),
            "cell " + t + ", " + p);
      }
    }
  }

  @Test
  void metricsJsonParsesBackAndHoldsTheValues() throws Exception {
    Report r = ReportFixtures.animals(ReportFixtures.tenEpochs(true));
    org.apache.hadoop.fs.Path dir = hadoop("file:", tmp.resolve("r"));
    r.write(dir, new Configuration(), false);
    ReportMetrics back = Report.read(dir, new Configuration());
    assertEquals(r.metrics(), back);
    JsonNode j = Json.mapper().readTree(tmp.resolve("r").resolve(Report.METRICS_JSON).toFile());
    assertEquals("treeprop-report", j.get("format").asText());
    assertEquals("classification", j.get("task").asText());
    assertEquals(4.0 / 9, j.at("/classification/accuracy").asDouble());
    assertEquals(4.0 / 7, j.at("/classification/perClass/1/f1").asDouble());
    assertEquals("bird", j.at("/classification/perClass/2/label").asText());
    assertEquals(2, j.at("/classification/confusionMatrix/0/0").asLong());
    assertEquals(1, j.at("/classification/confusionMatrix/0/3").asLong());
    assertEquals(10, j.at("/training/epochs").size());
    assertEquals(8, j.at("/training/bestEpoch").asInt());
    assertEquals("categorical_cross_entropy", j.get("loss").asText());
    assertFalse(j.has("regression"), "absent metrics are left out");
    String summary = Files.readString(tmp.resolve("r").resolve(Report.SUMMARY_TXT));
    assertTrue(summary.contains("accuracy: 0.4444\n"), summary);
    assertTrue(summary.contains("weakest class: \"bird\", F1 0.0000"), summary);
    assertTrue(summary.contains("files: metrics.json, learning-curves.png, confusion-matrix.png, summary.txt"),
        summary);
  }

  @Test
  void regressionReportHasLossCurvesOnlyAndNoConfusionMatrix() throws Exception {
    Report r = ReportFixtures.regression(ReportFixtures.tenEpochs(false));
    Map<String, byte[]> files = r.render();
    assertEquals(List.of("metrics.json", "learning-curves.png", "summary.txt"), List.copyOf(files.keySet()));
    BufferedImage curves = decode(files.get(Report.LEARNING_CURVES_PNG));
    assertEquals(LearningCurves.PANEL_WIDTH, curves.getWidth(), "one panel: no accuracy");
    assertNotBlank(curves);
    assertTrue(count(curves, LearningCurves.VALIDATION) > 100);
    org.apache.hadoop.fs.Path dir = hadoop("file:", tmp.resolve("reg"));
    r.write(dir, new Configuration(), false);
    ReportMetrics back = Report.read(dir, new Configuration());
    assertEquals(r.metrics(), back);
    assertEquals(0.55, back.regression().r2(), 1e-12);
    assertEquals("price", back.regression().perOutput().get(0).name());
    String summary = new String(files.get(Report.SUMMARY_TXT), StandardCharsets.UTF_8);
    assertTrue(summary.contains("RMSE 0.750000, MAE 0.625000, R² 0.5500"), summary);
  }

  @Test
  void withoutTrainingHistoryThereAreNoLearningCurves() {
    assertEquals(List.of("metrics.json", "confusion-matrix.png", "summary.txt"),
        List.copyOf(ReportFixtures.animals(null).render().keySet()));
  }

  @Test
  void anExistingReportIsKeptUnlessOverwritingIsAllowed() throws Exception {
    org.apache.hadoop.fs.Path dir = hadoop("file:", tmp.resolve("r"));
    Configuration conf = new Configuration();
    ReportFixtures.animals(null).write(dir, conf, false);
    byte[] before = Files.readAllBytes(tmp.resolve("r").resolve(Report.METRICS_JSON));
    Report other = ReportFixtures.regression(null);
    assertMessage(assertThrows(IllegalArgumentException.class, () -> other.write(dir, conf, false)),
        "already exists; choose another path or allow overwriting");
    assertArrayEquals(before, Files.readAllBytes(tmp.resolve("r").resolve(Report.METRICS_JSON)));
    assertEquals(List.of("confusion-matrix.png", "metrics.json", "summary.txt"), list(tmp.resolve("r")));

    other.write(dir, conf, true);
    assertEquals("regression", Report.read(dir, conf).task());
    assertEquals(List.of("metrics.json", "summary.txt"), list(tmp.resolve("r")), "no file of the old report");
    assertEquals(List.of("r"), list(tmp), "the old report moved aside is gone");
  }

  @Test
  void overwritingNeverReplacesADirectoryThatIsNotAReport() throws Exception {
    Path notes = Files.createDirectories(tmp.resolve("notes"));
    Files.writeString(notes.resolve("todo.txt"), "keep me");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ReportFixtures.animals(null).write(hadoop("file:", notes), new Configuration(), true)),
        "exists and is not a Treeprop report (no metrics.json)");
    assertEquals("keep me", Files.readString(notes.resolve("todo.txt")));
    assertEquals(List.of("todo.txt"), list(notes));
  }

  @Test
  void aWriteThatFailsLeavesNeitherAPartialReportNorTemporaryFiles() throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.failing.impl", FailingFileSystem.class.getName());
    conf.setBoolean("fs.failing.impl.disable.cache", true);
    Report r = ReportFixtures.animals(ReportFixtures.tenEpochs(true));
    IOException e = assertThrows(IOException.class, () -> r.write(hadoop("failing:", tmp.resolve("r")), conf,
        false));
    assertEquals("disk full (test)", e.getMessage());
    assertEquals(List.of(), list(tmp));

    // a failed overwrite keeps the earlier report whole
    r.write(hadoop("file:", tmp.resolve("r")), conf, false);
    byte[] before = Files.readAllBytes(tmp.resolve("r").resolve(Report.METRICS_JSON));
    assertThrows(IOException.class, () -> ReportFixtures.regression(null)
        .write(hadoop("failing:", tmp.resolve("r")), conf, true));
    assertArrayEquals(before, Files.readAllBytes(tmp.resolve("r").resolve(Report.METRICS_JSON)));
    assertEquals(List.of("confusion-matrix.png", "learning-curves.png", "metrics.json", "summary.txt"),
        list(tmp.resolve("r")));
    assertEquals(List.of("r"), list(tmp));
  }

  @Test
  void renderingSetsHeadlessMode() {
    System.clearProperty("java.awt.headless");
    ConfusionMatrixChart.render(ClassificationReport.of(ClassificationReportTest.animals(), null));
    assertEquals("true", System.getProperty("java.awt.headless"));
    assertTrue(java.awt.GraphicsEnvironment.isHeadless());
  }

  @Test
  void aReportNeedsExactlyOneKindOfMetrics() {
    assertMessage(assertThrows(IllegalArgumentException.class, () -> Report.builder().build()),
        "exactly one of classification, regression and reconstruction metrics; none was set");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> Json.read(
        "{\"format\": \"treeprop-report\", \"version\": 2, \"task\": \"regression\"}", ReportMetrics.class,
        "metrics.json")), "this Treeprop reads report version 1, received 2");
  }

  static org.apache.hadoop.fs.Path hadoop(String scheme, Path local) {
    return new org.apache.hadoop.fs.Path(URI.create(scheme + local.toAbsolutePath()));
  }

  /** Names in a local directory, hidden ones and Hadoop's .crc files included, sorted. */
  static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** The local file system under the scheme {@code failing:}, where creating a summary.txt fails. */
  public static final class FailingFileSystem extends RawLocalFileSystem {
    @Override
    public URI getUri() {
      return URI.create("failing:///");
    }

    @Override
    public String getScheme() {
      return "failing";
    }

    @Override
    public FSDataOutputStream create(org.apache.hadoop.fs.Path f, FsPermission permission, boolean overwrite,
        int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
      fail(f);
      return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream create(org.apache.hadoop.fs.Path f, boolean overwrite, int bufferSize,
        short replication, long blockSize, Progressable progress) throws IOException {
      fail(f);
      return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
    }

    private static void fail(org.apache.hadoop.fs.Path f) throws IOException {
      if (f.getName().equals(Report.SUMMARY_TXT)) {
        throw new IOException("disk full (test)");
      }
    }
  }
}
