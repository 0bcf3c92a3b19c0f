package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a crash leaves behind does not stop or change the resumed run (issue 15, items 6–8). */
@ExtendWith(LocalSpark.class)
class ResumeRobustnessTest {
  private static final NetworkSpec SPEC = NetworkSpec.input(6).dense(16).relu().dense(3).softmax();
  /** 400 rows, batch 40: 10 steps per epoch. */
  private static final TrainConfig CONFIG = new TrainConfig(3, 40, 1, new Updater(new Optimizers.Adam(0.01f)), 0,
      null);

  @TempDir
  Path tmp;

  private Model fit(SparkSession spark, SparkTrainConfig cfg, TrainingListener... listeners) {
    Dataset<Row> df = TestData.blobs(spark, 400, 6, 2, 3);
    SparkTrainer t = new SparkTrainer(cfg);
    for (TrainingListener l : listeners) {
      t.addListener(l);
    }
    return t.fit(SPEC, new Losses.CategoricalCrossEntropy(), df, null, InputColumns.defaults());
  }

  private static TrainingListener crashAt(long step) {
    return new TrainingListener() {
      @Override
      public void onStep(StepReport s) {
        if (s.step() == step) {
          throw new IllegalStateException("simulated driver crash at step " + step);
        }
      }
    };
  }

  @Test
  void aDamagedLatestCheckpointIsSkippedForTheNewestIntactOne(SparkSession spark) throws Exception {
    Model straight = fit(spark, SparkTrainConfig.of(CONFIG));
    CheckpointConfig cp = new CheckpointConfig("file:" + tmp.resolve("cp"), 5, false, 3);
    SparkTrainConfig cfg = SparkTrainConfig.of(CONFIG).withCheckpoints(cp, true);
    assertThrows(IllegalStateException.class, () -> fit(spark, cfg, crashAt(17)));
    Path latest = tmp.resolve("cp/step-000000015/params.bin");
    assertTrue(Files.exists(latest));
    // a crash on a file system that lost unsynced data: the latest checkpoint's weights cut short
    try (FileChannel ch = FileChannel.open(latest, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    Model resumed = fit(spark, cfg);
    assertArrayEquals(straight.params(), resumed.params(), 0f, "resumed from step 10, exactly");
  }

  @Test
  void theMetricsFileKeepsItsHistoryAcrossACrashAndResume(SparkSession spark) throws Exception {
    Path straightFile = tmp.resolve("straight.jsonl");
    fit(spark, SparkTrainConfig.of(CONFIG), new JsonLinesMetrics("file:" + straightFile,
        spark.sparkContext().hadoopConfiguration()));
    Path file = tmp.resolve("metrics.jsonl");
    CheckpointConfig cp = new CheckpointConfig("file:" + tmp.resolve("cp2"), 5, false, 2);
    SparkTrainConfig cfg = SparkTrainConfig.of(CONFIG).withCheckpoints(cp, true);
    JsonLinesMetrics first = new JsonLinesMetrics("file:" + file, spark.sparkContext().hadoopConfiguration());
    assertThrows(IllegalStateException.class, () -> fit(spark, cfg, first, crashAt(17)));
    first.close();
    // the crash cut the file mid-line
    Files.writeString(file, "{\"event\":\"step\",\"report\":{\"epo", StandardOpenOption.APPEND);
    fit(spark, cfg, new JsonLinesMetrics("file:" + file, spark.sparkContext().hadoopConfiguration()));
    assertEquals(events(straightFile), events(file), "every step and epoch once, in order, as without the crash");
  }

  /** Each line's event and step, without timings. */
  private static List<String> events(Path file) throws Exception {
    ObjectMapper m = new ObjectMapper();
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode n = m.readTree(line);
      String e = n.path("event").asText();
      out.add(switch (e) {
        case "step" -> "step " + n.path("report").path("step").asLong() + " loss " + n.path("report").path("loss");
        case "epoch" -> "epoch " + n.path("metrics").path("epoch").asInt() + " loss "
            + n.path("metrics").path("trainLoss");
        default -> e + " " + n.path("steps").asLong();
      });
    }
    return out;
  }

  @Test
  void aFiniteExplosionOfTheLossStopsTrainingNamingTheLastGoodCheckpoint(SparkSession spark) {
    CheckpointConfig cp = new CheckpointConfig("file:" + tmp.resolve("cp3"), 1, false, 2);
    TrainConfig wild = new TrainConfig(20, 40, 1, new Updater(new Optimizers.Adam(1e6f)), 0, null);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> fit(spark, SparkTrainConfig.of(wild).withCheckpoints(cp, false)));
    assertTrue(e.getMessage().startsWith("training diverged: the mean loss of the last 10 steps"), e.getMessage());
    assertTrue(e.getMessage().contains("the last good checkpoint is"), e.getMessage());
  }
}
