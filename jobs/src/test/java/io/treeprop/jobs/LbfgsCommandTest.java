package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code treeprop train} with {@code training.optimizer = lbfgs} on the regression example. */
class LbfgsCommandTest {
  @TempDir
  Path tmp;

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

  private static String path(String p) {
    return Path.of("..", p).toAbsolutePath().toString();
  }

  private String[] train(String... more) {
    String[] base = {"train", path("conf/regression.conf"), "--set", "data.train.path=" + path(
        "conf/data/regression.csv"), "--set", "output.model=" + tmp.resolve("model"), "--set", "output.report="
        + tmp.resolve("report"), "--set", "output.metrics=" + tmp.resolve("m.jsonl"), "--set",
        "training.optimizer=lbfgs", "--set", "training.schedule=constant", "--set", "training.epochs=60"};
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void trainsTheRegressionExampleOneIterationPerEpoch() throws Exception {
    Object[] r = run(train("--set", "training.batchSize=null"));
    assertEquals(0, r[0], r[1] + "\n" + r[2]);
    assertTrue(Files.exists(tmp.resolve("model/model.json")));
    String out = r[1].toString();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("trained (\\d+) steps in [0-9.]+ s: (.*)")
        .matcher(out);
    assertTrue(m.find(), out);
    long epochs = Files.readAllLines(tmp.resolve("m.jsonl")).stream()
        .filter(l -> l.contains("\"event\":\"epoch\"")).count();
    assertEquals(Long.parseLong(m.group(1)), epochs, "one step per epoch: " + out);
    assertTrue(epochs >= 5, out);
    System.out.println("lbfgs on the regression example: " + m.group(0));
  }

  @Test
  void anExampleWithABatchSizeIsRefusedBeforeTraining() {
    Object[] r = run(train());
    assertEquals(1, r[0], r[1] + "\n" + r[2]);
    assertTrue(r[2].toString().contains("training.batchSize: does not apply to the lbfgs optimizer, which uses "
        + "every training row in each iteration (full batch); remove it"), r[2].toString());
    assertFalse(Files.exists(tmp.resolve("model")), "no partial output");
  }
}
