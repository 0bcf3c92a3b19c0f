package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running a job with checkpoints again: a finished run is never resumed. With {@code output.overwrite} it starts
 * over (the same seed gives the same weights); without, the checkpoint directory is an error naming the fix.
 */
class RerunTest {
  @TempDir
  Path tmp;

  @Test
  void aFinishedRunStartsOverInsteadOfTrainingOnTopOfItself() throws IOException {
    Path model = tmp.resolve("model");
    Path checkpoints = tmp.resolve("checkpoints");
    String conf = Path.of("../conf/binary.conf").toAbsolutePath().toString();
    String data = Path.of("../conf/data").toAbsolutePath().toString();
    String[] args = {"train", conf, "--set", "data.train.path=" + data + "/binary-train.libsvm",
        "--set", "data.test=null", "--set", "training.epochs=3", "--set", "training.earlyStopping=null",
        "--set", "output.model=" + model, "--set", "output.report=null", "--set", "output.metrics=null",
        "--set", "training.checkpoints.dir=" + checkpoints};
    Cli.Result first = Cli.run(args);
    assertEquals(0, first.code(), first.toString());
    byte[] weights = Files.readAllBytes(model.resolve("params.bin"));
    assertTrue(Files.exists(checkpoints.resolve(Outputs.FINISHED)));

    Cli.Result again = Cli.run(args);
    assertEquals(0, again.code(), again.toString());
    assertTrue(again.err().contains("were of a finished run; starting over"), again.toString());
    assertArrayEquals(weights, Files.readAllBytes(model.resolve("params.bin")), "a fresh run with the same seed");

    String[] keep = java.util.Arrays.copyOf(args, args.length + 2);
    keep[args.length] = "--set";
    keep[args.length + 1] = "output.overwrite=false";
    Files.walk(model).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    Cli.Result refused = Cli.run(keep);
    assertEquals(1, refused.code(), refused.toString());
    assertTrue(refused.err().contains("holds the checkpoints of a finished run, which is never resumed; to train "
        + "again from the start set output.overwrite = true"), refused.toString());
  }

  @Test
  void anUnfinishedRunOfAnotherConfigurationIsRefusedBeforeTraining() throws IOException {
    Path checkpoints = tmp.resolve("checkpoints");
    String conf = Path.of("../conf/binary.conf").toAbsolutePath().toString();
    String data = Path.of("../conf/data").toAbsolutePath().toString();
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", conf,
        "--set", "data.train.path=" + data + "/binary-train.libsvm", "--set", "data.test=null",
        "--set", "training.epochs=3", "--set", "training.earlyStopping=null",
        "--set", "output.model=" + tmp.resolve("model"), "--set", "output.report=null", "--set", "output.metrics=null",
        "--set", "training.checkpoints.dir=" + checkpoints));
    assertEquals(0, Cli.run(args.toArray(String[]::new)).code());
    Files.delete(checkpoints.resolve(Outputs.FINISHED)); // as if the run had stopped before saving its model
    Path metrics = tmp.resolve("metrics.jsonl");
    args.addAll(java.util.List.of("--set", "training.batchSize=16", "--set", "output.metrics=" + metrics));
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("was written by a run with another network, loss, batch size") && r.err()
        .contains("to start over, delete " + checkpoints), r.toString());
    assertTrue(!Files.exists(metrics), "refused before the training was set up: " + r);
  }
}
