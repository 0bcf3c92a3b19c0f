package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.Workspace;
import io.treeprop.jobs.report.ReconstructionGrid;
import io.treeprop.jobs.report.ReconstructionReport;
import io.treeprop.jobs.report.Report;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model.task = reconstruction} end to end: a dense denoising autoencoder and a convolutional one on small
 * IDX images (8×8 grey: a bright or a dark image with ±50 of uniform noise per pixel), their reports (the error,
 * the picture) and what {@code score} writes for them.
 */
class ReconstructionCommandTest {
  private static final int SIDE = 8;
  private static final double FACTOR = 1 / 255.0;

  @TempDir
  Path tmp;

  @Test
  void aDenoisingAutoencoderLearnsAndItsReportAndScoresAgree() throws Exception {
    List<double[]> test = images(tmp, 160, 40);
    Path report = tmp.resolve("report");
    String model = tmp.resolve("model").toString();
    Cli.Result train = Cli.run("train", job(model, report, """
        {type = noise, kind = gaussian, amount = 0.1},
        {type = dense, units = 8}, {type = activation, function = relu},
        {type = dense, units = 2}, {type = activation, function = tanh},
        {type = dense, units = 8}, {type = activation, function = relu},
        {type = dense, units = 64}, {type = activation, function = sigmoid}""", "encodingLayer = 4"));
    assertEquals(0, train.code(), train.toString());
    Matcher m = Pattern.compile("test reconstruction MSE ([0-9.e-]+) per value on 40 rows").matcher(train.out());
    assertTrue(m.find(), train.toString());
    double mse = Double.parseDouble(m.group(1));
    // predicting every pixel's mean would score the data's variance; the class means leave only the noise
    assertTrue(mse < 0.5 * variance(test), "MSE " + mse + " vs the test data's variance " + variance(test));

    String metrics = Files.readString(report.resolve("metrics.json"));
    assertTrue(metrics.contains("\"task\" : \"reconstruction\""), metrics);
    String summary = Files.readString(report.resolve("summary.txt"));
    assertTrue(summary.contains("reconstruction.png: 12 test images, rows input, noisy input, reconstruction"),
        summary);

    // score: one error per row, whose mean is the report's MSE, and the 2 numbers of the tanh bottleneck
    Path scores = tmp.resolve("scores");
    Cli.Result score = Cli.run("score", "--model", model, "--format", "idx", "--input",
        tmp.resolve("test-images").toString(), "--output", scores.toString(), "--output-format", "csv");
    assertEquals(0, score.code(), score.toString());
    List<String> lines = Cli.csvLines(scores);
    List<String> header = List.of(lines.get(0).split(","));
    assertEquals(List.of("reconstruction_error", "encoding_0", "encoding_1"),
        header.subList(header.size() - 3, header.size()));
    assertEquals(41, lines.size());
    double sum = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      sum += Double.parseDouble(f[header.indexOf("reconstruction_error")]);
      for (String c : List.of("encoding_0", "encoding_1")) {
        assertTrue(Math.abs(Double.parseDouble(f[header.indexOf(c)])) <= 1, "a tanh output: " + line);
      }
    }
    ReconstructionReport read = Report.read(new org.apache.hadoop.fs.Path(report.toString()),
        new org.apache.hadoop.conf.Configuration()).reconstruction();
    assertEquals(40, read.rows());
    assertEquals(64, read.values());
    assertEquals(sum / 40, read.mse(), 1e-9 * mse + 1e-12);

    BufferedImage grid = ImageIO.read(report.resolve("reconstruction.png").toFile());
    assertEquals(ReconstructionGrid.LABEL_WIDTH + 12 * (96 + 2 * ReconstructionGrid.PAD), grid.getWidth());
    assertEquals(3 * ReconstructionGrid.ROW_HEIGHT, grid.getHeight());
    for (int i = 0; i < 12; i++) {
      assertTrue(tileShows(grid, 0, i, test.get(i)), "the input row shows test image " + i + " as it is");
      assertFalse(tileShows(grid, 1, i, test.get(i)), "the noisy row is corrupted");
    }

    Cli.Result inspect = Cli.run("inspect", "--model", model);
    assertTrue(inspect.out().contains("task reconstruction (an autoencoder): score writes reconstruction_error and "
        + "encoding, the output of layer 4 [2]"), inspect.toString());

    Cli.Result eval = Cli.run("evaluate", "--model", model, "--format", "idx", "--data",
        tmp.resolve("test-images").toString());
    assertEquals(0, eval.code(), eval.toString());
    assertTrue(eval.out().contains("reconstruction MSE " + m.group(1) + " per value on 40 rows"), eval.toString());
  }

  @Test
  void aConvolutionalAutoencoderShowsItsReconstructions() throws Exception {
    List<double[]> test = images(tmp, 96, 12);
    Path report = tmp.resolve("report");
    String model = tmp.resolve("model").toString();
    Cli.Result train = Cli.run("train", job(model, report, """
        {type = conv2d, filters = 4, kernel = 3, padding = same}, {type = activation, function = relu},
        {type = max_pool2d, kernel = 2},
        {type = conv2d_transpose, filters = 1, kernel = 2, stride = 2}, {type = activation, function = sigmoid}""",
        ""));
    assertEquals(0, train.code(), train.toString());
    assertTrue(train.out().contains("model input: [1, 8, 8] (the data's image shape)"), train.toString());
    BufferedImage grid = ImageIO.read(report.resolve("reconstruction.png").toFile());
    assertEquals(2 * ReconstructionGrid.ROW_HEIGHT, grid.getHeight(), "no noise layer: inputs and reconstructions");

    // the reconstruction row is the saved network's output, in pixels
    Model saved = ModelFiles.load(Path.of(model));
    Network net = saved.network();
    Workspace ws = net.newWorkspace(test.size(), false);
    for (int i = 0; i < test.size(); i++) {
      for (int j = 0; j < SIDE * SIDE; j++) {
        ws.input()[i * SIDE * SIDE + j] = (float) (test.get(i)[j] * FACTOR);
      }
    }
    float[] out = net.forward(ws, saved.params(), saved.state(), test.size(), false, 0);
    for (int i = 0; i < test.size(); i++) {
      double[] pixels = new double[SIDE * SIDE];
      for (int j = 0; j < pixels.length; j++) {
        pixels[j] = Math.round(Math.max(0, Math.min(255, out[i * pixels.length + j] / FACTOR)));
      }
      assertTrue(tileShows(grid, 0, i, test.get(i)), "input " + i);
      assertTrue(tileShows(grid, 1, i, pixels), "reconstruction " + i);
    }
  }

  @Test
  void anRgbFolderWithoutClassFoldersTrainsAnAutoencoderAndScoresByPath() throws Exception {
    Random rnd = new Random(2);
    MisclassifiedReportTest.writeColours(tmp.resolve("train"), "", 16, true, rnd, null);
    MisclassifiedReportTest.writeColours(tmp.resolve("train"), "", 16, false, rnd, null);
    MisclassifiedReportTest.writeColours(tmp.resolve("test"), "", 5, true, rnd, null);
    Path report = tmp.resolve("report");
    String model = tmp.resolve("model").toString();
    Cli.Result train = Cli.run("train", Cli.job(tmp, "rgb.conf", """
        data {
          train { format = images, path = "%1$s/train" }
          test { format = images, path = "%1$s/test" }
          scaling { factor = 0.00392156862745098 }
        }
        model { task = reconstruction, loss = mse, layers = [{type = dense, units = 4},
          {type = activation, function = relu}, {type = dense, units = 192}, {type = activation, function = sigmoid}] }
        training { epochs = 3, batchSize = 8, seed = 3, partitions = 2 }
        output { model = "%2$s", report = "%3$s", overwrite = true }
        """.formatted(tmp, model, report)));
    assertEquals(0, train.code(), train.toString());
    assertTrue(train.out().contains("model input: [3, 8, 8] (the data's image shape)"), train.toString());
    assertTrue(train.out().contains("per value on 5 rows"), train.toString());
    BufferedImage grid = ImageIO.read(report.resolve("reconstruction.png").toFile());
    assertEquals(ReconstructionGrid.LABEL_WIDTH + 5 * (96 + 2 * ReconstructionGrid.PAD), grid.getWidth());

    Path scores = tmp.resolve("scores");
    Cli.Result score = Cli.run("score", "--model", model, "--input", tmp.resolve("test").toString(), "--output",
        scores.toString(), "--output-format", "csv");
    assertEquals(0, score.code(), score.toString());
    List<String> lines = Cli.csvLines(scores);
    assertEquals("path,reconstruction_error", lines.get(0));
    assertEquals(6, lines.size());
  }

  private String job(String model, Path report, String layers, String extra) {
    return Cli.job(tmp, "ae.conf", """
        data {
          train { format = idx, path = "%1$s/train-images" }
          test { format = idx, path = "%1$s/test-images" }
          scaling { factor = 0.00392156862745098 }
        }
        model { task = reconstruction, layers = [%2$s], loss = mse, %5$s }
        training { epochs = 40, batchSize = 16, seed = 3, partitions = 2, optimizer { type = adam, learningRate = 0.01 } }
        output { model = "%3$s", report = "%4$s", overwrite = true }
        """.formatted(tmp, layers, model, report, extra));
  }

  /** Whether the image in row {@code r}, column {@code i} of the grid shows {@code pixels} (grey) exactly. */
  private static boolean tileShows(BufferedImage grid, int r, int i, double[] pixels) {
    int scale = 96 / SIDE;
    int x0 = ReconstructionGrid.LABEL_WIDTH + i * (96 + 2 * ReconstructionGrid.PAD) + ReconstructionGrid.PAD;
    int y0 = r * ReconstructionGrid.ROW_HEIGHT + ReconstructionGrid.PAD;
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int v = (int) pixels[y * SIDE + x];
        if ((grid.getRGB(x0 + x * scale + scale / 2, y0 + y * scale + scale / 2) & 0xFFFFFF)
            != ((v << 16) | (v << 8) | v)) {
          return false;
        }
      }
    }
    return true;
  }

  /** The per-pixel variance of the images in [0, 1] units, averaged over the pixels. */
  private static double variance(List<double[]> images) {
    double total = 0;
    for (int j = 0; j < SIDE * SIDE; j++) {
      double mean = 0;
      for (double[] x : images) {
        mean += x[j] * FACTOR / images.size();
      }
      for (double[] x : images) {
        total += Math.pow(x[j] * FACTOR - mean, 2) / images.size();
      }
    }
    return total / (SIDE * SIDE);
  }

  /** Writes train and test IDX images (no labels); returns the test images. */
  private static List<double[]> images(Path dir, int train, int test) {
    Random rnd = new Random(9);
    write(dir.resolve("train-images"), train, rnd);
    return write(dir.resolve("test-images"), test, rnd);
  }

  private static List<double[]> write(Path file, int n, Random rnd) {
    List<double[]> images = new ArrayList<>();
    byte[] pixels = new byte[n * SIDE * SIDE];
    for (int i = 0; i < n; i++) {
      double[] img = new double[SIDE * SIDE];
      int base = rnd.nextBoolean() ? 190 : 60;
      for (int j = 0; j < img.length; j++) {
        img[j] = base + rnd.nextInt(101) - 50;
        pixels[i * img.length + j] = (byte) img[j];
      }
      images.add(img);
    }
    Cli.idx(file, new int[] {n, SIDE, SIDE}, pixels);
    return images;
  }
}
