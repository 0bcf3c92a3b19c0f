package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command on image folders (format = images): train, evaluate and score, class names from the folders. */
class ImageCommandTest {
  @TempDir
  Path tmp;

  /**
   * Writes {@code perClass} 8×8 grey PNGs into {@code root/bright} and {@code root/dark} (or, unlabelled, straight
   * under {@code root}): bright pixels around 190, dark around 60, each with uniform noise of ±50.
   */
  static void imageFolder(Path root, int perClass, long seed, boolean classFolders) throws Exception {
    Random rnd = new Random(seed);
    for (String cls : List.of("bright", "dark")) {
      for (int i = 0; i < perClass; i++) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        int base = cls.equals("bright") ? 190 : 60;
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 8; x++) {
            img.getRaster().setSample(x, y, 0, base + rnd.nextInt(101) - 50);
          }
        }
        Path file = classFolders ? root.resolve(cls).resolve(i + ".png") : root.resolve(cls + "-" + i + ".png");
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, "png", file.toFile()));
      }
    }
  }

  static String conf(Path dir, String model, String layers, String extra) {
    return Cli.job(dir, "job.conf", """
        data {
          train { format = images, path = "%s" }
          test { format = images, path = "%s" }
          scaling { factor = 0.00392156862745098 }
        }
        model {
          layers = [%s]
          loss = categorical_cross_entropy
        }
        training { epochs = 20, batchSize = 8, seed = 7, partitions = 2, optimizer { type = adam, learningRate = 0.05 } }
        output { model = "%s", report = "%s", overwrite = true }
        %s
        """.formatted(dir.resolve("train"), dir.resolve("test"), layers, model, dir.resolve("report"), extra));
  }

  @Test
  void trainEvaluateAndScoreAnImageFolder() throws Exception {
    imageFolder(tmp.resolve("train"), 12, 1, true);
    imageFolder(tmp.resolve("test"), 6, 2, true);
    imageFolder(tmp.resolve("new"), 3, 3, false);
    String model = tmp.resolve("model").toString();
    String job = conf(tmp, model, "{type = dense, units = 2}, {type = activation, function = softmax}", "");
    Cli.Result train = Cli.run("train", job);
    assertEquals(0, train.code(), train.toString());
    assertTrue(train.out().contains("data: 24 rows of 64 features from image data at "), train.toString());
    assertTrue(train.out().contains("test accuracy 1.0000 on 12 rows"), train.toString());

    Cli.Result eval = Cli.run("evaluate", "--model", model, "--data", tmp.resolve("test").toString());
    assertEquals(0, eval.code(), eval.toString());
    assertTrue(eval.out().contains("accuracy 1.0000 on 12 rows"), eval.toString());

    Path scores = tmp.resolve("scores");
    Cli.Result score = Cli.run("score", "--model", model, "--input", tmp.resolve("new").toString(), "--output",
        scores.toString(), "--output-format", "csv");
    assertEquals(0, score.code(), score.toString());
    List<String> lines = Cli.csvLines(scores);
    assertEquals("path,prediction,probability_bright,probability_dark", lines.get(0));
    assertEquals(7, lines.size(), lines.toString());
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      String file = f[0].substring(f[0].lastIndexOf('/') + 1);
      assertEquals(file.substring(0, file.indexOf('-')), f[1], "the file's class predicted: " + line);
    }

    // images landing in a watched folder: each scored once, with its path, as batch scoring scores it
    Path incoming = Files.createDirectories(tmp.resolve("incoming"));
    for (String f : List.of("bright-0.png", "dark-0.png", "bright-1.png", "dark-1.png")) {
      Files.copy(tmp.resolve("new").resolve(f), incoming.resolve(f));
    }
    Path streamed = tmp.resolve("streamed");
    String[] stream = {"score", "--model", model, "--input", incoming.toString(), "--output", streamed.toString(),
        "--output-format", "csv", "--stream", "--checkpoint", tmp.resolve("cp").toString(), "--once"};
    Cli.Result first = Cli.run(stream);
    assertEquals(0, first.code(), first.toString());
    for (String f : List.of("bright-2.png", "dark-2.png")) {
      Files.copy(tmp.resolve("new").resolve(f), incoming.resolve(f));
    }
    Cli.Result second = Cli.run(stream);
    assertEquals(0, second.code(), second.toString());
    java.util.Map<String, String> batchScores = new java.util.HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      batchScores.put(f[0].substring(f[0].lastIndexOf('/') + 1), line.substring(line.indexOf(',') + 1));
    }
    List<String> rows = new java.util.ArrayList<>();
    try (var batches = Files.list(streamed)) {
      for (Path b : batches.filter(p -> p.getFileName().toString().startsWith("batch=")).sorted().toList()) {
        List<String> part = Cli.csvLines(b);
        assertEquals("path,prediction,probability_bright,probability_dark,source_file", part.get(0));
        rows.addAll(part.subList(1, part.size()));
      }
    }
    assertEquals(6, rows.size(), "4 images, then 2 more, each once: " + rows);
    for (String line : rows) {
      String[] f = line.split(",");
      String file = f[0].substring(f[0].lastIndexOf('/') + 1);
      assertTrue(f[4].endsWith("/" + file), "source_file names the image: " + line);
      assertEquals(batchScores.get(file), line.substring(line.indexOf(',') + 1, line.lastIndexOf(',')),
          "streamed as batch-scored: " + line);
    }
  }

  @Test
  void aCnnTakesItsInputShapeFromTheImages() throws Exception {
    imageFolder(tmp.resolve("train"), 16, 4, true);
    imageFolder(tmp.resolve("test"), 10, 5, true);
    String model = tmp.resolve("model").toString();
    String job = conf(tmp, model, "{type = conv2d, filters = 4, kernel = 3}, {type = activation, function = relu}, "
        + "{type = max_pool2d, kernel = 2}, {type = flatten}, {type = dense, units = 2}, "
        + "{type = activation, function = softmax}", "");
    Cli.Result train = Cli.run("train", job);
    assertEquals(0, train.code(), train.toString());
    assertTrue(train.out().contains("model input: [1, 8, 8] (the data's image shape)"), train.toString());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("test accuracy ([0-9.]+) on 20 rows")
        .matcher(train.out());
    assertTrue(m.find(), train.toString());
    assertTrue(Double.parseDouble(m.group(1)) > 0.9, train.toString());
    Cli.Result inspect = Cli.run("inspect", "--model", model);
    assertTrue(inspect.out().contains("[1, 8, 8]"), inspect.toString());
  }

  @Test
  void aCnnOnVectorDataAsksForTheInputShape() throws Exception {
    Path csv = Files.writeString(tmp.resolve("d.csv"), "y,a,b,c,d\n0,1,2,3,4\n1,4,3,2,1\n");
    Cli.Result r = Cli.run("train", Cli.job(tmp, "cnn.conf", """
        data { train { format = csv, header = true, path = "%s", labelColumn = y } }
        model { layers = [{type = conv2d, filters = 2, kernel = 1}, {type = flatten}, {type = dense, units = 2},
          {type = activation, function = softmax}], loss = categorical_cross_entropy }
        output.model = "%s"
        """.formatted(csv, tmp.resolve("m"))));
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("set model.input = [channels, height, width]"), r.err());
  }

  @Test
  void imageOptionsAreOnlyForImages() throws Exception {
    Cli.Result r = Cli.run("train", Cli.job(tmp, "bad.conf", """
        data { train { format = csv, path = x.csv, labelColumn = y, size = [8, 8] } }
        model { layers = [{type = dense, units = 2}], loss = categorical_cross_entropy }
        output.model = m
        """));
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("data.train") && r.err().contains("size applies only to images data"), r.err());
  }
}
