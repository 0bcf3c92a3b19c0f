package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in this JVM (embedded local mode): train, evaluate, score and inspect on the regression
 * example, and the errors a user sees for a bad config, a bad model and a taken output.
 */
class CommandsTest {
  @TempDir
  Path tmp;

  /** Runs the CLI, capturing stdout and stderr; returns {exit code, out, err}. */
  private static Object[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new Object[] {code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static String conf() {
    return Path.of("../conf/regression.conf").toAbsolutePath().toString();
  }

  private static String data() {
    return Path.of("../conf/data/regression.csv").toAbsolutePath().toString();
  }

  @Test
  void trainEvaluateScoreAndInspectTheRegressionExample() throws Exception {
    String model = tmp.resolve("model").toString();
    String report = tmp.resolve("report").toString();
    Object[] r = run("train", conf(), "--set", "training.epochs=30", "--set", "output.model=" + model,
        "--set", "output.report=" + report, "--set", "output.metrics=" + tmp.resolve("m.jsonl"),
        "--set", "data.train.path=" + data(), "--set", "data.test={format: csv, header: true, labelColumn: y, "
            + "path: \"" + data() + "\"}", "--set", "training.earlyStopping.patience=5");
    assertEquals(0, r[0], r[1] + "\n" + r[2]);
    assertTrue(r[1].toString().contains("test RMSE"), r[1].toString());
    assertTrue(r[1].toString().contains("report: " + report + "\n"), "the report's path as given: " + r[1]);
    assertTrue(Files.exists(Path.of(report, "metrics.json")));
    assertTrue(Files.exists(Path.of(report, "learning-curves.png")));
    Object meta = Json.mapper().readTree(Path.of(model, "model.json").toFile()).path("metadata").path("scaling")
        .path("type").asText();
    assertEquals("standardize", meta, "the fitted scaling is saved with the model");

    r = run("evaluate", "--model", model, "--data", data(), "--header", "--label-column", "y");
    assertEquals(0, r[0], r[1] + "\n" + r[2]);
    assertTrue(r[1].toString().startsWith("RMSE "), r[1].toString());

    String scores = tmp.resolve("scores.csv").toString();
    r = run("score", "--model", model, "--input", data(), "--header", "--label-column", "y", "--output", scores,
        "--output-format", "csv");
    assertEquals(0, r[0], r[1] + "\n" + r[2]);
    long lines;
    try (var files = Files.list(Path.of(scores))) {
      lines = files.filter(p -> p.getFileName().toString().endsWith(".csv")).mapToLong(p -> {
        try {
          return Files.readAllLines(p).size() - 1;
        } catch (java.io.IOException ex) {
          throw new java.io.UncheckedIOException(ex);
        }
      }).sum();
    }
    assertEquals(300, lines, "one scored row per input row");

    r = run("score", "--model", model, "--input", data(), "--header", "--label-column", "y", "--output", scores);
    assertEquals(1, r[0]);
    assertTrue(r[2].toString().contains("already exists"), r[2].toString());

    r = run("inspect", "--model", model);
    assertEquals(0, r[0], r[1] + "\n" + r[2]);
    assertTrue(r[1].toString().contains("loss smooth_l1") || r[1].toString().contains("loss mse"), r[1].toString());
    assertTrue(r[1].toString().matches("(?s).*param 0/W +\\[\\d+, \\d+\\] +offset 0  size .*"), r[1].toString());
  }

  @Test
  void badInputsGiveOneClearLineAndExitCode1() throws Exception {
    Path bad = tmp.resolve("bad.conf");
    Files.writeString(bad, Files.readString(Path.of(conf())).replace("epochs", "epoch"));
    Object[] r = run("train", bad.toString());
    assertEquals(1, r[0]);
    assertTrue(r[2].toString().contains("unknown key training.epoch"), r[2].toString());

    r = run("train", conf(), "--set", "training.batchSize=0");
    assertEquals(1, r[0]);
    assertTrue(r[2].toString().contains("training.batchSize"), r[2].toString());

    Path broken = Files.createDirectories(tmp.resolve("broken-model"));
    Files.writeString(broken.resolve("model.json"), "{\"format\": \"treeprop-model\"");
    Files.write(broken.resolve("params.bin"), new byte[] {1, 2, 3});
    r = run("inspect", "--model", broken.toString());
    assertEquals(1, r[0]);
    assertTrue(r[2].toString().startsWith("treeprop: "), r[2].toString());
    assertTrue(r[2].toString().contains("model.json"), r[2].toString());
    assertFalse(Files.exists(tmp.resolve("scores")));

    r = run("--help");
    assertEquals(0, r[0]);
    for (String c : new String[] {"quickstart", "train", "evaluate", "score", "inspect"}) {
      assertTrue(r[1].toString().contains("  " + c + " "), r[1].toString());
    }
    r = run("quickstart", "--help");
    assertEquals(0, r[0]);
    assertTrue(r[1].toString().startsWith("Usage: treeprop quickstart"), r[1].toString());
    assertTrue(r[1].toString().contains("fashion-mnist-mlp.conf"), r[1].toString());
    r = run("evaluate", "--help");
    assertFalse(r[1].toString().contains("unlabelled"), "evaluate needs labels: " + r[1]);
  }
}
