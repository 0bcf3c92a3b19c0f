package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code score} and {@code evaluate} give a user of a model trained from a CSV with a header, an id column
 * and class labels 1, 2, 3: predictions in those labels, every input column carried through, columns matched by
 * name, and the reading options taken from the model.
 */
class ScoreCommandTest {
  @TempDir
  static Path tmp;

  private static String model;
  private static String data;

  /** Three classes by the value of {@code a}; {@code b} is noise; {@code id} is not a feature. */
  private static String csv(int rows, long seed, String... order) {
    Random rng = new Random(seed);
    StringBuilder sb = new StringBuilder(String.join(",", order)).append('\n');
    for (int i = 0; i < rows; i++) {
      double a = rng.nextDouble() * 2 - 1;
      double b = rng.nextDouble() * 2 - 1;
      Map<String, String> v = Map.of("id", "r" + i, "a", String.format(Locale.ROOT, "%.4f", a),
          "b", String.format(Locale.ROOT, "%.4f", b), "y", a < -0.33 ? "1" : a < 0.33 ? "2" : "3");
      List<String> fields = new ArrayList<>();
      for (String c : order) {
        fields.add(v.get(c));
      }
      sb.append(String.join(",", fields)).append('\n');
    }
    return sb.toString();
  }

  @BeforeAll
  static void trainOnLabelsOneToThree() throws IOException {
    data = Files.writeString(tmp.resolve("train.csv"), csv(400, 1, "id", "a", "b", "y")).toString();
    model = tmp.resolve("model").toString();
    String conf = Cli.job(tmp, "job.conf", "data { train { format = csv, path = \"" + data + "\", header = true, "
        + "labelColumn = y, featureColumns = [a, b] }, scaling = standardize }\n"
        + "model { layers = [{type = dense, units = 16}, {type = activation, function = tanh}, {type = dense, "
        + "units = 3}, {type = activation, function = softmax}], loss = categorical_cross_entropy }\n"
        + "training { epochs = 40, batchSize = 32, optimizer { learningRate = 0.03 } }\n"
        + "output { model = \"" + model + "\" }\n");
    Cli.Result r = Cli.run("train", conf);
    assertEquals(0, r.code(), r.toString());
  }

  @Test
  void csvScoresCarryEveryInputColumnAndPredictInTheTrainingLabels() {
    Path out = tmp.resolve("scores.csv");
    Cli.Result r = Cli.run("score", "--model", model, "--input", data, "--output", out.toString(),
        "--output-format", "csv");
    assertEquals(0, r.code(), r.toString());
    List<String> lines = Cli.csvLines(out);
    assertEquals("id,a,b,y,prediction,probability_1,probability_2,probability_3", lines.get(0));
    assertEquals(401, lines.size());
    Set<String> ids = new java.util.HashSet<>();
    int agree = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      ids.add(f[0]);
      assertTrue(Set.of("1", "2", "3").contains(f[4]), "a prediction is a training label, as written: " + line);
      assertTrue(Set.of("1", "2", "3").contains(f[3]), "the label column is carried through unchanged: " + line);
      agree += f[3].equals(f[4]) ? 1 : 0;
      double p = Double.parseDouble(f[5]) + Double.parseDouble(f[6]) + Double.parseDouble(f[7]);
      assertEquals(1, p, 1e-9, line);
    }
    assertEquals(400, ids.size(), "every row keeps its id");
    assertTrue(agree > 360, "predictions compare with the label column: " + agree + " of 400 agree");
  }

  @Test
  void parquetScoresHoldTheLabelValueAsADouble() {
    Path out = tmp.resolve("scores.parquet");
    Cli.Result r = Cli.run("score", "--model", model, "--input", data, "--output", out.toString());
    assertEquals(0, r.code(), r.toString());
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
    try {
      var scores = spark.read().parquet(out.toString());
      assertEquals(List.of("id", "a", "b", "y", "prediction", "probability"), List.of(scores.columns()));
      long agree = 0;
      for (Row row : scores.select("y", "prediction").collectAsList()) {
        double p = row.getDouble(1);
        assertTrue(p == 1 || p == 2 || p == 3, "prediction " + p);
        agree += Double.parseDouble(row.getString(0)) == p ? 1 : 0;
      }
      assertTrue(agree > 360, agree + " of 400");
    } finally {
      spark.stop();
    }
  }

  @Test
  void columnsInAnotherOrderAreMatchedByNameAndReadingOptionsComeFromTheModel() throws IOException {
    Cli.Result same = Cli.run("evaluate", "--model", model, "--data", data);
    assertEquals(0, same.code(), "no --header, no --label-column: the model knows them\n" + same);
    String shuffled = Files.writeString(tmp.resolve("shuffled.csv"), csv(400, 1, "b", "y", "id", "a"))
        .toString();
    Cli.Result other = Cli.run("evaluate", "--model", model, "--data", shuffled);
    assertEquals(0, other.code(), other.toString());
    assertEquals(same.out(), other.out(), "the same rows in another column order evaluate the same");

    Path out = tmp.resolve("shuffled-scores.csv");
    Cli.Result scored = Cli.run("score", "--model", model, "--input", shuffled, "--output", out.toString(),
        "--output-format", "csv");
    assertEquals(0, scored.code(), scored.toString());
    Map<String, String> byId = new HashMap<>();
    for (String line : Cli.csvLines(out).subList(1, 401)) {
      String[] f = line.split(",");
      byId.put(f[2], f[4]);
    }
    int agree = 0;
    for (String line : csv(400, 1, "id", "y").split("\n")) {
      String[] f = line.split(",");
      agree += f[1].equals(byId.get(f[0])) ? 1 : 0;
    }
    assertTrue(agree > 360, agree + " of 400");

    String missing = Files.writeString(tmp.resolve("missing.csv"), csv(20, 1, "id", "a", "y")).toString();
    Cli.Result r = Cli.run("evaluate", "--model", model, "--data", missing);
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().startsWith("treeprop: ") && r.err().contains("\"b\" does not exist"), r.toString());
  }

  @Test
  void inspectShowsTheClassesAndHowNewDataWillBeRead() {
    Cli.Result r = Cli.run("inspect", "--model", model);
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("classes [1, 2, 3] (numbers): probability columns in this order"), r.toString());
    assertTrue(r.out().contains("trained on csv data with a header, delimiter \",\", label column y, feature columns "
        + "[a, b]"), r.toString());
  }
}
