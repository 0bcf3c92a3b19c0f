package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} checks everything it can before the first step: the test and validation data, the classes against
 * the output layer, and that every output can be written. A failure is one {@code treeprop:} line, exit 1, and no
 * model directory.
 */
class TrainPreflightTest {
  @TempDir
  Path tmp;

  private String csv(String name, int rows, String header, IntFunction<String> line) throws IOException {
    StringBuilder sb = new StringBuilder(header).append('\n');
    for (int i = 0; i < rows; i++) {
      sb.append(line.apply(i)).append('\n');
    }
    return Files.writeString(tmp.resolve(name), sb.toString()).toString();
  }

  private static String xy(int i, String label) {
    return String.format(Locale.ROOT, "%.3f,%.3f,%s", Math.sin(i), Math.cos(i * 0.7), label);
  }

  private String job(String train, String extraData, String lastLayer, String loss, String output) {
    return Cli.job(tmp, "job-" + System.nanoTime() + ".conf", "data { train { format = csv, path = \"" + train
        + "\", header = true, labelColumn = y }\n" + extraData + " }\n"
        + "model { layers = [{type = dense, units = 4}, {type = activation, function = tanh}, " + lastLayer + "], "
        + "loss = " + loss + " }\n"
        + "training { epochs = 1, batchSize = 16 }\n"
        + "output { model = \"" + tmp.resolve("model") + "\"\n" + output + " }\n");
  }

  private static final String SOFTMAX3 = "{type = dense, units = 3}, {type = activation, function = softmax}";

  private void failsBeforeTraining(String conf, String... fragments) {
    Cli.Result r = Cli.run("train", conf);
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().startsWith("treeprop: "), r.toString());
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("treeprop: ")).count(), r.toString());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), "expected \"" + f + "\" in\n" + r);
    }
    assertFalse(r.out().contains("trained "), r.toString());
    assertFalse(Files.exists(tmp.resolve("model")), "no model directory is left behind");
  }

  @Test
  void testAndValidationDataAreCheckedBeforeTheFirstStep() throws IOException {
    String train = csv("train.csv", 60, "a,b,y", i -> xy(i, Integer.toString(i % 3)));
    failsBeforeTraining(job(train, "test { format = csv, path = \"" + tmp.resolve("tset.csv") + "\", header = true, "
        + "labelColumn = y }", SOFTMAX3, "categorical_cross_entropy", ""), "no such file", "tset.csv");

    String wide = csv("wide.csv", 10, "a,b,c,y", i -> xy(i, "0.5," + (i % 3)));
    failsBeforeTraining(job(train, "test { format = csv, path = \"" + wide + "\", header = true, labelColumn = y }",
        SOFTMAX3, "categorical_cross_entropy", ""), "data.test", "3 features per row but the training data has 2");

    String unseen = csv("unseen.csv", 10, "a,b,y", i -> xy(i, i == 4 ? "7" : "1"));
    failsBeforeTraining(job(train, "validation { format = csv, path = \"" + unseen + "\", header = true, "
        + "labelColumn = y }", SOFTMAX3, "categorical_cross_entropy", ""), "data.validation",
        "1 row(s) have labels never seen in the training data: [7]");
  }

  @Test
  void outputsThatCannotBeWrittenOrAreTakenAreRefusedBeforeTraining() throws IOException {
    String train = csv("train.csv", 30, "a,b,y", i -> xy(i, Integer.toString(i % 3)));
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    failsBeforeTraining(job(train, "", SOFTMAX3, "categorical_cross_entropy", "report = \"" + file.resolve("report")
        + "\""), "output.report: cannot write", "is a file, not a directory");
    Path metrics = Files.writeString(tmp.resolve("metrics.jsonl"), "{\"earlier\": 1}\n");
    failsBeforeTraining(job(train, "", SOFTMAX3, "categorical_cross_entropy", "metrics = \"" + metrics + "\""),
        "output.metrics", "already exists");
    assertEquals("{\"earlier\": 1}\n", Files.readString(metrics), "an existing metrics file is not replaced");
  }

  @Test
  void classesAreCountedAgainstTheOutputLayerInTheDatasOwnLabels() throws IOException {
    String letters = csv("letters.csv", 52, "a,b,y", i -> xy(i, String.valueOf((char) ('A' + i % 26))));
    failsBeforeTraining(job(letters, "", "{type = dense, units = 25}, {type = activation, function = softmax}",
        "categorical_cross_entropy", ""), "the data has 26 classes (A, B, C, D, E, F … Z) but the output layer "
        + "has 25 units");

    String halves = csv("halves.csv", 30, "a,b,y", i -> xy(i, i == 3 ? "0.5" : Integer.toString(i % 2)));
    failsBeforeTraining(job(halves, "", "{type = dense, units = 1}, {type = activation, function = sigmoid}",
        "binary_cross_entropy", ""), "the data has 3 classes (0, 0.5, 1) but a binary_cross_entropy output tells 2 "
        + "classes apart");

    String one = csv("one.csv", 20, "a,b,y", i -> xy(i, "yes"));
    failsBeforeTraining(job(one, "", SOFTMAX3, "categorical_cross_entropy", ""), "every row has the label (yes)",
        "at least two classes");

    String two = csv("two.csv", 40, "a,b,y", i -> xy(i, i % 2 == 0 ? "no" : "yes"));
    Cli.Result r = Cli.run("train", job(two, "", SOFTMAX3, "categorical_cross_entropy", ""));
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().contains("treeprop: warning: the data has 2 classes (no, yes) but the output layer has 3 "
        + "units"), r.toString());
  }

  @Test
  void aReportWithoutTestDataIsAWarningAndEveryRunEndsWithItsFinalMetrics() throws IOException {
    String train = csv("train.csv", 40, "a,b,y", i -> xy(i, Integer.toString(i % 3)));
    Cli.Result r = Cli.run("train", job(train, "validationFraction = 0.25", SOFTMAX3, "categorical_cross_entropy",
        "report = \"" + tmp.resolve("report") + "\""));
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().contains("treeprop: warning: output.report is set but there is no data.test"), r.toString());
    assertFalse(Files.exists(tmp.resolve("report")));
    assertTrue(r.out().lines().anyMatch(l -> l.matches("final epoch 1: loss \\d\\.\\d{4}, accuracy \\d\\.\\d{4}; "
        + "validation loss \\d\\.\\d{4}, accuracy \\d\\.\\d{4}")), r.toString());
  }

  @Test
  void aSmallFileTrainsOnEveryTaskSlotUnlessPartitionsAreSet() throws IOException {
    String train = csv("small.csv", 50, "a,b,y", i -> xy(i, Integer.toString(i % 2)));
    String conf = job(train, "", SOFTMAX3.replace("3", "2"), "categorical_cross_entropy", "overwrite = true");
    Cli.Result r = Cli.run("train", conf, "--set", "spark.master=local[2]");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("partitions: 2 (the application's 2 task slots; the data comes in 1;"), r.toString());
    r = Cli.run("train", conf, "--set", "spark.master=local[2]", "--set", "training.partitions=1");
    assertEquals(0, r.code(), r.toString());
    assertFalse(r.out().contains("partitions: "), "an explicit count is used as it is\n" + r);
  }
}
