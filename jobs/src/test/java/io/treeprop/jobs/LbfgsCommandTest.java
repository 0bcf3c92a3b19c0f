package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code treeprop train} with {@code training.optimizer = lbfgs} on the regression example. */
class LbfgsCommandTest {
  @TempDir
  Path tmp;

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
    Cli.Result r = Cli.run(train("--set", "training.batchSize=null"));
    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.exists(tmp.resolve("model/model.json")));
    String out = r.out();
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
    Cli.Result r = Cli.run(train());
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("training.batchSize: does not apply to the lbfgs optimizer, which uses "
        + "every training row in each iteration (full batch); remove it"), r.err());
    assertFalse(Files.exists(tmp.resolve("model")), "no partial output");
  }
}
