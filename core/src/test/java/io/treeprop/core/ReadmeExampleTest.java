package io.treeprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.Dataset;
import io.treeprop.core.train.EarlyStopping;
import io.treeprop.core.train.Evaluation;
import io.treeprop.core.train.LocalTrainer;
import io.treeprop.core.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's core example, compiled and run; the README must show exactly this code. */
class ReadmeExampleTest {
  @TempDir
  Path tmp;

  @Test
  void readmeExampleRunsAndLearns() throws Exception {
    // Two Gaussian blobs per class in 2-D: a small problem the example must solve.
    int n = 1000;
    SplittableRandom rng = new SplittableRandom(4);
    float[] features = new float[2 * n];
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      features[2 * i] = (float) (Math.cos(2 * Math.PI * labels[i] / 3) + 0.3 * rng.nextGaussian());
      features[2 * i + 1] = (float) (Math.sin(2 * Math.PI * labels[i] / 3) + 0.3 * rng.nextGaussian());
    }
    Path modelDir = tmp.resolve("my-model");

    // README:begin
    NetworkSpec spec = NetworkSpec.input(2).dense(32).relu().dropout(0.1f).dense(3).softmax();
    Updater updater = new Updater(new Optimizers.Adam(0.01f), new Schedule.Cosine(2000, 0), 1e-4f, false, 0f);
    TrainConfig config = new TrainConfig(50, 32, 42L, updater, 0.2, EarlyStopping.onValidationLoss(5));

    Dataset data = new Dataset(features, labels, n, 2, 1);   // x: [n, 2], y: class index per row
    Model model = new LocalTrainer(config).fit(spec, new Losses.CategoricalCrossEntropy(), data, null);

    System.out.println(model.summary().stopReason() + ", accuracy " + Evaluation.evaluate(model, data).accuracy());
    ModelFiles.save(model, modelDir, true);                  // model.json + params.bin
    int[] classes = ModelFiles.load(modelDir).predictClasses(features, n);
    // README:end

    assertTrue(Evaluation.evaluate(model, data).accuracy() > 0.95);
    assertArrayEquals(model.predictClasses(features, n), classes);
    assertEquals(n, classes.length);
  }

  @Test
  void readmeShowsTheExampleVerbatim() throws Exception {
    String test = Files.readString(Path.of("src/test/java/io/treeprop/core/ReadmeExampleTest.java"));
    String snippet = test.substring(test.indexOf("// README:begin") + "// README:begin".length(),
        test.indexOf("    // README:end")).stripIndent().strip();
    String readme = Files.readString(Path.of("../README.md"));
    String normalized = readme.lines().map(String::strip).reduce("", (a, b) -> a + "\n" + b);
    String wanted = snippet.lines().map(String::strip).reduce("", (a, b) -> a + "\n" + b);
    assertTrue(normalized.contains(wanted), "README.md must contain the example of ReadmeExampleTest:\n" + snippet);
  }
}
