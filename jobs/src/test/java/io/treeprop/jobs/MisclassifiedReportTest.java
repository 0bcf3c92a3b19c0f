package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.jobs.report.MisclassifiedImages;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a classifier of images shows its mistakes: grey IDX images and RGB image folders whose test sets
 * hold a few images under the wrong label, which a model that learned brightness (or colour) must get wrong. The
 * tiles must show those images' own pixels (0..255, not the scaled inputs), and the listing must agree with what
 * {@code score} predicts for the same rows.
 */
class MisclassifiedReportTest {
  private static final int SIDE = 8;
  private static final int SCALE = 96 / SIDE; // nearest-neighbour enlargement of an 8×8 image into the 96 px box

  @TempDir
  Path tmp;

  @Test
  void greyIdxMistakesAreTiledWithTheirOwnPixelsAndListedAsScored() throws Exception {
    Random rnd = new Random(11);
    Set<Integer> wrong = Set.of(3, 11, 17);
    List<double[]> test = new ArrayList<>();
    writeIdx(tmp.resolve("train"), 40, rnd, Set.of(), null);
    writeIdx(tmp.resolve("test"), 20, rnd, wrong, test);
    Path report = tmp.resolve("report");
    String model = tmp.resolve("model").toString();
    String job = Cli.job(tmp, "job.conf", """
        data {
          train { format = idx, path = "%1$s/train-images", labelPath = "%1$s/train-labels" }
          test { format = idx, path = "%1$s/test-images", labelPath = "%1$s/test-labels" }
          classNames = [dark, bright]
          scaling { factor = 0.00392156862745098 }
        }
        model { layers = [{type = dense, units = 2}, {type = activation, function = softmax}],
          loss = categorical_cross_entropy }
        training { epochs = 20, batchSize = 8, seed = 7, partitions = 2, optimizer { type = adam, learningRate = 0.05 } }
        output { model = "%2$s", report = "%3$s", overwrite = true }
        """.formatted(tmp, model, report));
    Cli.Result train = Cli.run("train", job);
    assertEquals(0, train.code(), train.toString());
    assertTrue(train.out().contains("test accuracy 0.8500 on 20 rows"), "exactly the relabelled rows are wrong: "
        + train);

    List<String[]> listed = csv(report.resolve("misclassified.csv"));
    assertEquals(3, listed.size());
    Set<Integer> rows = new HashSet<>();
    double last = 1;
    for (int i = 0; i < listed.size(); i++) {
      String[] f = listed.get(i);
      assertEquals(Integer.toString(i), f[0]);
      rows.add(Integer.parseInt(f[1]));
      assertEquals("dark", f[2]);
      assertEquals("bright", f[3]);
      double p = Double.parseDouble(f[4]);
      assertTrue(p > 0.5 && p <= last, "most confident first: " + listed);
      last = p;
    }
    assertEquals(wrong, rows);

    // the listing agrees with score on the same rows (score writes IDX rows in file order)
    Path scores = tmp.resolve("scores");
    Cli.Result score = Cli.run("score", "--model", model, "--format", "idx", "--input",
        tmp.resolve("test-images").toString(), "--output", scores.toString(), "--output-format", "csv");
    assertEquals(0, score.code(), score.toString());
    List<String> scored = Cli.csvLines(scores);
    List<String> header = List.of(scored.get(0).split(","));
    for (String[] f : listed) {
      String[] s = scored.get(1 + Integer.parseInt(f[1])).split(",");
      assertEquals("1", s[header.indexOf("prediction")], "score predicts bright (label 1) for row " + f[1]);
      assertEquals(Double.parseDouble(s[header.indexOf("probability_1")]), Double.parseDouble(f[4]), 1e-6);
    }

    BufferedImage grid = ImageIO.read(report.resolve("misclassified.png").toFile());
    assertEquals(3 * MisclassifiedImages.TILE_WIDTH, grid.getWidth());
    assertEquals(MisclassifiedImages.TITLE + MisclassifiedImages.TILE_HEIGHT, grid.getHeight());
    for (int i = 0; i < listed.size(); i++) {
      assertTileShows(grid, i, test.get(Integer.parseInt(listed.get(i)[1])), 1);
    }
    String summary = Files.readString(report.resolve("summary.txt"));
    assertTrue(summary.contains("misclassified.png: the 3 most confident of 3 misclassified test images"), summary);
  }

  @Test
  void rgbFolderMistakesAreTiledInColour() throws Exception {
    Random rnd = new Random(5);
    writeColours(tmp.resolve("train"), "red", 12, true, rnd, null);
    writeColours(tmp.resolve("train"), "blue", 12, false, rnd, null);
    writeColours(tmp.resolve("test"), "red", 5, true, rnd, null);
    writeColours(tmp.resolve("test"), "blue", 5, false, rnd, null);
    List<double[]> misfiled = new ArrayList<>();
    writeColours(tmp.resolve("test"), "blue", 2, true, rnd, misfiled); // red images in the blue folder
    String model = tmp.resolve("model").toString();
    String job = ImageCommandTest.conf(tmp, model,
        "{type = dense, units = 2}, {type = activation, function = softmax}", "");
    Cli.Result train = Cli.run("train", job);
    assertEquals(0, train.code(), train.toString());
    Path report = tmp.resolve("report");

    List<String[]> listed = csv(report.resolve("misclassified.csv"));
    assertEquals(2, listed.size(), listed.toString());
    for (String[] f : listed) {
      assertEquals("blue", f[2]);
      assertEquals("red", f[3]);
    }
    BufferedImage grid = ImageIO.read(report.resolve("misclassified.png").toFile());
    assertEquals(2 * MisclassifiedImages.TILE_WIDTH, grid.getWidth());
    assertEquals(MisclassifiedImages.TITLE + MisclassifiedImages.TILE_HEIGHT, grid.getHeight());
    Set<Integer> shown = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      for (int k = 0; k < misfiled.size(); k++) {
        if (tileMatches(grid, i, misfiled.get(k), 3)) {
          shown.add(k);
        }
      }
    }
    assertEquals(Set.of(0, 1), shown, "each misfiled image is one of the tiles, in its own colours");
  }

  @Test
  void noPictureWithoutMistakes() throws Exception {
    ImageCommandTest.imageFolder(tmp.resolve("train"), 12, 1, true);
    ImageCommandTest.imageFolder(tmp.resolve("test"), 6, 2, true);
    String job = ImageCommandTest.conf(tmp, tmp.resolve("model").toString(),
        "{type = dense, units = 2}, {type = activation, function = softmax}", "");
    Cli.Result train = Cli.run("train", job);
    assertEquals(0, train.code(), train.toString());
    assertTrue(train.out().contains("test accuracy 1.0000"), train.toString());
    assertFalse(Files.exists(tmp.resolve("report").resolve("misclassified.png")));
    assertTrue(Files.exists(tmp.resolve("report").resolve("confusion-matrix.png")));
  }

  /** Asserts that tile {@code i} shows {@code pixels} exactly, each data pixel a {@link #SCALE}-wide square. */
  private static void assertTileShows(BufferedImage grid, int i, double[] pixels, int channels) {
    assertTrue(tileMatches(grid, i, pixels, channels), "tile " + i + " shows the image's own pixels");
  }

  private static boolean tileMatches(BufferedImage grid, int i, double[] pixels, int channels) {
    int x0 = (i % MisclassifiedImages.COLUMNS) * MisclassifiedImages.TILE_WIDTH
        + MisclassifiedImages.IMAGE_LEFT;
    int y0 = MisclassifiedImages.TITLE + (i / MisclassifiedImages.COLUMNS) * MisclassifiedImages.TILE_HEIGHT
        + MisclassifiedImages.PAD;
    int plane = SIDE * SIDE;
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int p = y * SIDE + x;
        int r = (int) pixels[p];
        int g = channels == 1 ? r : (int) pixels[plane + p];
        int b = channels == 1 ? r : (int) pixels[2 * plane + p];
        for (int[] corner : new int[][] {{0, 0}, {SCALE - 1, SCALE - 1}}) {
          int rgb = grid.getRGB(x0 + x * SCALE + corner[0], y0 + y * SCALE + corner[1]) & 0xFFFFFF;
          if (rgb != ((r << 16) | (g << 8) | b)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /**
   * Writes {@code n} 8×8 grey IDX images and labels (even rows dark around 60, label 0; odd rows bright around 190,
   * label 1), except that the rows in {@code relabelled} are bright images labelled 0.
   */
  private static void writeIdx(Path prefix, int n, Random rnd, Set<Integer> relabelled, List<double[]> images) {
    byte[] pixels = new byte[n * SIDE * SIDE];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      boolean bright = i % 2 == 1 || relabelled.contains(i);
      labels[i] = (byte) (bright && !relabelled.contains(i) ? 1 : 0);
      double[] img = new double[SIDE * SIDE];
      for (int j = 0; j < img.length; j++) {
        img[j] = (bright ? 190 : 60) + rnd.nextInt(101) - 50;
        pixels[i * img.length + j] = (byte) img[j];
      }
      if (images != null) {
        images.add(img);
      }
    }
    Cli.idx(Path.of(prefix + "-images"), new int[] {n, SIDE, SIDE}, pixels);
    Cli.idx(Path.of(prefix + "-labels"), new int[] {n}, labels);
  }

  /** Writes {@code n} 8×8 RGB PNGs into {@code root/folder}: reddish or bluish, with noise; keeps their planes. */
  static void writeColours(Path root, String folder, int n, boolean red, Random rnd, List<double[]> kept)
      throws Exception {
    Path dir = Files.createDirectories(root.resolve(folder));
    int start;
    try (var files = Files.list(dir)) {
      start = (int) files.count();
    }
    for (int i = 0; i < n; i++) {
      BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
      double[] planes = new double[3 * SIDE * SIDE];
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          int hi = 200 + rnd.nextInt(41) - 20;
          int lo = 40 + rnd.nextInt(41) - 20;
          int mid = 120 + rnd.nextInt(41) - 20;
          int r = red ? hi : lo;
          int b = red ? lo : hi;
          img.setRGB(x, y, (r << 16) | (mid << 8) | b);
          int p = y * SIDE + x;
          planes[p] = r;
          planes[SIDE * SIDE + p] = mid;
          planes[2 * SIDE * SIDE + p] = b;
        }
      }
      assertTrue(ImageIO.write(img, "png", dir.resolve((start + i) + ".png").toFile()));
      if (kept != null) {
        kept.add(planes);
      }
    }
  }

  /** The CSV's rows after the header, split on commas (the labels here hold none). */
  private static List<String[]> csv(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    assertEquals("tile,row,true,predicted,probability", lines.get(0));
    return lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
  }
}
