package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class names in reports: data.classNames for IDX labels, the folder names for image folders. */
class ClassNamesCommandTest {
  @TempDir
  Path tmp;

  /** {@code n} 4×4 IDX images of labels 0, 1, 2 in turn, label l around 40 + 80·l with noise; returns the paths. */
  private String[] idx(String name, int n, long seed) throws IOException {
    Random rnd = new Random(seed);
    Path images = tmp.resolve(name + "-images-idx3-ubyte");
    Path labels = tmp.resolve(name + "-labels-idx1-ubyte");
    try (DataOutputStream im = new DataOutputStream(Files.newOutputStream(images));
        DataOutputStream lb = new DataOutputStream(Files.newOutputStream(labels))) {
      im.writeInt(0x803);
      im.writeInt(n);
      im.writeInt(4);
      im.writeInt(4);
      lb.writeInt(0x801);
      lb.writeInt(n);
      for (int i = 0; i < n; i++) {
        int label = i % 3;
        lb.writeByte(label);
        for (int p = 0; p < 16; p++) {
          im.writeByte(40 + 80 * label + rnd.nextInt(21) - 10);
        }
      }
    }
    return new String[] {images.toString(), labels.toString()};
  }

  private String job(String classNames) throws IOException {
    String[] train = idx("train", 60, 1);
    String[] test = idx("t10k", 30, 2);
    return Cli.job(tmp, "job.conf", """
        data {
          train { format = idx, path = "%s", labelPath = "%s" }
          test { format = idx, path = "%s", labelPath = "%s" }
          scaling { factor = 0.00392156862745098 }
          %s
        }
        model {
          layers = [{type = dense, units = 3}, {type = activation, function = softmax}]
          loss = categorical_cross_entropy
        }
        training { epochs = 30, batchSize = 10, seed = 3, partitions = 2, optimizer { type = adam, learningRate = 0.1 } }
        output { model = "%s", report = "%s", overwrite = true }
        """.formatted(train[0], train[1], test[0], test[1], classNames, tmp.resolve("model"),
        tmp.resolve("report")));
  }

  @Test
  void idxClassNamesNameTheClassesInTheReportsOfTrainAndEvaluate() throws Exception {
    Cli.Result train = Cli.run("train", job("classNames = [Dark, Grey, Light]"));
    assertEquals(0, train.code(), train.toString());
    String metrics = Files.readString(tmp.resolve("report/metrics.json"));
    assertTrue(metrics.contains("\"labels\" : [ \"Dark\", \"Grey\", \"Light\" ]")
        || metrics.replace(" ", "").contains("\"labels\":[\"Dark\",\"Grey\",\"Light\"]"), metrics);
    String summary = Files.readString(tmp.resolve("report/summary.txt"));
    assertTrue(summary.contains("weakest class: \""), summary);
    assertTrue(summary.matches("(?s).*weakest class: \"(Dark|Grey|Light)\".*"), summary);

    Cli.Result eval = Cli.run("evaluate", "--model", tmp.resolve("model").toString(), "--data",
        tmp.resolve("t10k-images-idx3-ubyte").toString(), "--labels", tmp.resolve("t10k-labels-idx1-ubyte")
            .toString(), "--report", tmp.resolve("eval").toString());
    assertEquals(0, eval.code(), eval.toString());
    assertTrue(Files.readString(tmp.resolve("eval/summary.txt"))
        .matches("(?s).*weakest class: \"(Dark|Grey|Light)\".*"));
    Cli.Result inspect = Cli.run("inspect", "--model", tmp.resolve("model").toString());
    assertTrue(inspect.out().contains("class names [Dark, Grey, Light]"), inspect.toString());
  }

  @Test
  void classNamesMustNameEachClassOnce() throws Exception {
    Cli.Result r = Cli.run("train", job("classNames = [Dark, Grey]"));
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("data.classNames lists 2 names but idx data at ") && r.err().contains(
        "has 3 classes (0, 1, 2)"), r.err());
    r = Cli.run("train", job("classNames = [Dark, Dark, Light]"));
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("names a class twice"), r.err());
  }

  @Test
  void imageFoldersNameTheirClassesByFolder() throws Exception {
    ImageCommandTest.imageFolder(tmp.resolve("train"), 8, 1, true);
    ImageCommandTest.imageFolder(tmp.resolve("test"), 4, 2, true);
    Cli.Result r = Cli.run("train", ImageCommandTest.conf(tmp, tmp.resolve("model").toString(),
        "{type = dense, units = 2}, {type = activation, function = softmax}", ""));
    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.readString(tmp.resolve("report/metrics.json")).replace(" ", "")
        .contains("\"labels\":[\"bright\",\"dark\"]"));
    Cli.Result names = Cli.run("train", ImageCommandTest.conf(tmp, tmp.resolve("model").toString(),
        "{type = dense, units = 2}, {type = activation, function = softmax}", "data.classNames = [a, b]"));
    assertEquals(1, names.code(), names.toString());
    assertTrue(names.err().contains("are names already (bright, dark)"), names.err());
  }
}
