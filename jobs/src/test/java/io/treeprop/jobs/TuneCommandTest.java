package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code treeprop tune} end to end in embedded local mode on a small linearly separable CSV: the grid's best, the
 * results table, chart and best job file, k-fold metrics, resuming, and the errors of bad grids.
 */
class TuneCommandTest {
  @TempDir
  static Path data;

  @TempDir
  Path tmp;

  private static String csv;

  /** 160 points in [-1, 1]², class "pos" when x1 + x2 > 0.1, "neg" when below -0.1 (a margin between). */
  @BeforeAll
  static void separablePoints() throws IOException {
    Random r = new Random(3);
    StringBuilder sb = new StringBuilder("x1,x2,y\n");
    int n = 0;
    while (n < 160) {
      double a = r.nextDouble() * 2 - 1;
      double b = r.nextDouble() * 2 - 1;
      if (Math.abs(a + b) > 0.1) {
        sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", a, b, a + b > 0 ? "pos" : "neg"));
        n++;
      }
    }
    csv = Files.writeString(data.resolve("points.csv"), sb).toString();
  }

  private static String layers(int units) {
    return "[{type = dense, units = " + units + "}, {type = activation, function = tanh}, "
        + "{type = dense, units = 2}, {type = activation, function = softmax}]";
  }

  /** A classification job on the points with {@code tune} as its tune section. */
  private String job(String tune) {
    return Cli.job(tmp, "tune.conf", """
        data.train { format = csv, path = "%s", header = true, labelColumn = y }
        model { layers = %s, loss = categorical_cross_entropy }
        training { epochs = 10, batchSize = 8, seed = 5, optimizer { type = adam, learningRate = 0.01 } }
        output.model = "%s"
        spark.master = "local[2]"
        tune { %s }
        """.formatted(csv, layers(4), tmp.resolve("out/model"), tune));
  }

  private Path tuneDir() {
    return tmp.resolve("out/tune");
  }

  private List<List<String>> rows() throws IOException {
    List<List<String>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(tuneDir().resolve(TuneResults.RESULTS_CSV))) {
      rows.add(Csv.split(line));
    }
    return rows;
  }

  @Test
  void aGridOverLearningRateAndLayersPicksTheRateThatLearnsAndWritesEveryOutput() throws Exception {
    String conf = job("""
        grid {
          training.optimizer.learningRate = [1e-5, 0.05]
          model.layers = [%s, %s]
        }
        folds = 2
        """.formatted(layers(2), layers(8)));
    Cli.Result r = Cli.run("tune", conf, "--set", "tune.trainBest=true");
    assertEquals(0, r.code(), r.toString());

    List<List<String>> rows = rows();
    assertEquals(List.of("trial", "model.layers", "training.optimizer.learningRate", "fold_1", "fold_2",
        "mean_accuracy", "std_accuracy", "seconds", "started", "error"), rows.get(0));
    assertEquals(5, rows.size(), "one row per trial\n" + r);
    int best = -1;
    double bestMean = -1;
    for (List<String> row : rows.subList(1, rows.size())) {
      // k-fold: k metrics per trial, and the mean and std are theirs
      double[] folds = row.subList(3, 5).stream().mapToDouble(Double::parseDouble).toArray();
      double mean = (folds[0] + folds[1]) / 2;
      for (double f : folds) {
        assertTrue(f >= 0 && f <= 1, row.toString());
      }
      assertEquals(mean, Double.parseDouble(row.get(5)), 1e-6, row.toString());
      assertEquals(Math.abs(folds[0] - folds[1]) / 2, Double.parseDouble(row.get(6)), 1e-6, row.toString());
      assertEquals("", row.get(9));
      if (mean > bestMean) {
        bestMean = mean;
        best = Integer.parseInt(row.get(0));
      }
    }
    List<String> bestRow = rows.get(best);
    assertEquals("0.05", bestRow.get(2), "the rate that learns in 15 epochs wins\n" + rows);
    assertTrue(bestMean >= 0.9, "a separable problem is learned: " + rows);
    for (List<String> row : rows.subList(1, rows.size())) {
      if (row.get(2).equals("1e-05") || row.get(2).equals("1.0E-5")) {
        assertTrue(Double.parseDouble(row.get(5)) < bestMean, row.toString());
      }
    }
    assertTrue(r.out().contains("best: trial " + best + " ("), r.out());
    // trainBest: the best job trained on all of data.train, saved where its output section says
    assertTrue(trainedAtRate005(tmp.resolve("out/model")), "the final model is the best job's");
    assertTrue(Files.exists(tuneDir().resolve(TuneResults.FINISHED)));

    BufferedImage chart = ImageIO.read(tuneDir().resolve(TuneResults.CHART_PNG).toFile());
    assertEquals(900, chart.getWidth());
    assertEquals(520, chart.getHeight());

    // the best configuration trains as it is
    Path bestConf = tuneDir().resolve(TuneResults.BEST_CONF);
    String text = Files.readString(bestConf);
    assertTrue(text.lines().filter(l -> !l.startsWith("#")).noneMatch(l -> l.strip().startsWith("tune")),
        "no tune section in the best job:\n" + text);
    String model = tmp.resolve("best-model").toString();
    Cli.Result trained = Cli.run("train", bestConf.toString(), "--set", "output.model=" + model);
    assertEquals(0, trained.code(), trained.toString());
    assertTrue(trainedAtRate005(Path.of(model)), "the best rate is the one trained");
  }

  /** Whether the job embedded in a saved model trained at learning rate 0.05. */
  private static boolean trainedAtRate005(Path model) throws IOException {
    return io.treeprop.core.model.Json.mapper().readTree(model.resolve("model.json").toFile()).path("metadata")
        .path("job").path("training").path("optimizer").path("learningRate").asDouble() == 0.05;
  }

  @Test
  void anInterruptedTuneResumesWithoutRedoingFinishedTrials() throws Exception {
    String conf = job("""
        grid { training.optimizer.learningRate = [0.01, 0.02], training.epochs = [2, 3] }
        validationFraction = 0.25
        """);
    Cli.Result first = Cli.run("tune", conf, "--set", "tune.parallelism=2");
    assertEquals(0, first.code(), first.toString());
    List<List<String>> before = rows();
    assertEquals(5, before.size());
    assertEquals("fold_1", before.get(0).get(3), "a held-out split is one fold");

    // what an interruption after two trials leaves: their rows, no best, no chart, no finished marker
    List<String> lines = Files.readAllLines(tuneDir().resolve(TuneResults.RESULTS_CSV));
    Files.write(tuneDir().resolve(TuneResults.RESULTS_CSV), lines.subList(0, 3));
    for (String f : List.of(TuneResults.BEST_CONF, TuneResults.CHART_PNG, TuneResults.FINISHED)) {
      Files.delete(tuneDir().resolve(f));
    }
    Cli.Result again = Cli.run("tune", conf);
    assertEquals(0, again.code(), again.toString());
    assertTrue(again.out().contains("resuming: 2 finished before"), again.out());
    assertFalse(again.out().contains("trial 1/4") || again.out().contains("trial 2/4"), again.out());
    List<List<String>> after = rows();
    assertEquals(before.subList(0, 3), after.subList(0, 3), "finished trials kept their rows and start times");
    for (int i = 3; i < 5; i++) {
      int started = before.get(0).indexOf("started");
      assertNotEquals(before.get(i).get(started), after.get(i).get(started), "trial " + i + " ran again");
      assertTrue(after.get(i).get(started).compareTo(before.get(4).get(started)) > 0, "and after the first run");
    }
    assertTrue(Files.exists(tuneDir().resolve(TuneResults.BEST_CONF)));

    // a finished tune is not rerun, another tune does not reuse its directory
    Cli.Result done = Cli.run("tune", conf);
    assertEquals(1, done.code());
    assertTrue(done.err().contains("holds a finished tune; set output.overwrite = true"), done.err());
    Files.delete(tuneDir().resolve(TuneResults.FINISHED));
    Cli.Result changed = Cli.run("tune", conf, "--set", "tune.grid.training.epochs=[2, 4]");
    assertEquals(1, changed.code());
    assertTrue(changed.err().contains("holds the results of another tune"), changed.err());
  }

  /** Asserts one {@code treeprop:} line with every fragment, exit 1, and nothing written. */
  private void refused(String tune, String... fragments) {
    Cli.Result r = Cli.run("tune", job(tune));
    assertEquals(1, r.code(), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), "expected \"" + f + "\" in " + r.err());
    }
    assertFalse(Files.exists(tmp.resolve("out")), "no output for a refused tune");
  }

  @Test
  void badGridsAreOneLineNamingTheKeyTheValueAndTheRule() {
    refused("grid { training.epoch = [1, 2] }",
        "tune.grid.training.epoch = 1: unknown key training.epoch", "did you mean epochs?");
    refused("grid { training.epochs = [] }", "tune.grid.training.epochs: the list of candidates is empty");
    refused("grid { training.epochs = [5, \"ten\"] }",
        "tune.grid.training.epochs = \"ten\": training.epochs: expected an integer, got the string \"ten\"",
        "tune.conf line 6");
    refused("grid { training.epochs = 5 }", "tune.grid.training.epochs: expected a list of candidate values");
    refused("grid { training.epochs = [1, 0] }", "tune.grid.training.epochs = 0: training.epochs (0) must be");
    refused("grid { output.model = [a, b] }", "tune.grid.output.model: output keys cannot be tuned");
    refused("grid { training.epochs = [1] }, folds = 1", "tune.folds (1) must be at least 2");
    refused("grid { training.epochs = [1] }, folds = 3, validationFraction = 0.2",
        "tune.folds (3) and tune.validationFraction (0.2) are both set; choose one");
    refused("grid { training.epochs = [1] }, metric = rmse", "tune.metric: rmse measures regressions");
    refused("grid { training.epochs = [1] }, metrc = rmse", "unknown key tune.metrc", "did you mean metric?");
    refused("grid { training.epochs = [1, 2] }, samples = 3", "tune.samples (3) must be at most the grid's 2");
  }

  @Test
  void trainRefusesAFileWithATuneSection() {
    Cli.Result r = Cli.run("train", job("grid { training.epochs = [1] }"));
    assertEquals(1, r.code());
    assertTrue(r.err().contains("tune: this file has a tune section, which treeprop tune reads"), r.err());
  }
}
