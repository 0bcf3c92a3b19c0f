package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.TrainingSummary;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run reports while it trains: {@link TrainingListener} calls, the {@link JsonLinesMetrics} file, and the
 * Spark job descriptions that name each epoch and step in the Spark UI.
 */
@ExtendWith(LocalSpark.class)
class ListenersTest {
  /** 90 rows in 3 partitions of 30; batches of 30 make 3 steps per epoch, each taking 10 rows per partition. */
  private static final int ROWS = 90;
  private static final int PARTITIONS = 3;
  private static final int EPOCHS = 2;
  private static final int STEPS = 3;
  private static final NetworkSpec NET = NetworkSpec.input(6).dense(8).tanh().dense(3).softmax();
  private static final TrainConfig CFG = new TrainConfig(EPOCHS, 30, 3, new Updater(new Optimizers.Adam()), 0, null);
  private static final String JOB_DESCRIPTION = "spark.job.description";

  @Test
  void listenerSeesStartEachStepEachEpochAndEndInOrder(SparkSession spark) {
    Recorder rec = new Recorder();
    fit(spark, CFG, rec);

    List<String> expected = new ArrayList<>(List.of("start"));
    for (int e = 0; e < EPOCHS; e++) {
      expected.addAll(Collections.nCopies(STEPS, "step"));
      expected.add("epoch");
    }
    expected.add("end");
    assertEquals(expected, rec.calls);
    assertEquals(List.of((long) ROWS, (long) STEPS, (long) EPOCHS, (long) PARTITIONS), rec.start);
  }

  @Test
  void stepReportsCountGlobalStepsAndSplitTheTime(SparkSession spark) {
    Recorder rec = new Recorder();
    fit(spark, CFG, rec);

    assertEquals(EPOCHS * STEPS, rec.steps.size());
    for (int i = 0; i < rec.steps.size(); i++) {
      StepReport s = rec.steps.get(i);
      assertEquals(i + 1, s.step(), "global step numbers count up from 1");
      assertEquals(i / STEPS + 1, s.epoch());
      assertEquals(i % STEPS, s.stepInEpoch());
      assertEquals(EPOCHS, s.epochs());
      assertEquals(STEPS, s.stepsPerEpoch());
      assertEquals(ROWS / STEPS, s.rows(), "each step takes a third of every partition");
      assertTrue(Double.isFinite(s.loss()) && s.loss() > 0, "loss " + s.loss());
      StepTiming t = s.timing();
      double[] parts = {t.broadcast(), t.compute(), t.aggregate(), t.scheduling(), t.driverUpdate()};
      for (double part : parts) {
        assertTrue(part >= 0, "every part of the step time is >= 0: " + t);
      }
      assertTrue(t.compute() > 0, "the forward and backward pass takes time: " + t);
      assertEquals(t.total(), t.broadcast() + t.compute() + t.aggregate() + t.scheduling() + t.driverUpdate(), 1e-9);
    }
  }

  @Test
  void epochAndEndCallsCarryTheRunsMetrics(SparkSession spark) {
    Recorder rec = new Recorder();
    fit(spark, CFG, rec);

    assertEquals(EPOCHS, rec.epochs.size());
    for (int e = 0; e < EPOCHS; e++) {
      assertEquals(e + 1, rec.epochs.get(e).epoch());
      assertEquals((long) (e + 1) * STEPS, rec.epochs.get(e).step());
    }
    assertEquals(1, rec.ends.size());
    TrainingSummary end = rec.ends.get(0);
    assertEquals(EPOCHS * STEPS, end.steps());
    assertEquals("completed " + EPOCHS + " epochs", end.stopReason());
    assertEquals(rec.epochs, end.epochs());
  }

  @Test
  void jsonLinesMetricsWritesOneParsableLinePerStepAndEpochThenEnd(SparkSession spark, @TempDir Path tmp)
      throws Exception {
    Path file = tmp.resolve("metrics.jsonl");
    try (JsonLinesMetrics metrics = new JsonLinesMetrics("file:" + file, spark.sparkContext().hadoopConfiguration())) {
      fit(spark, CFG, metrics);
    }

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<JsonNode> steps = new ArrayList<>();
    List<JsonNode> epochs = new ArrayList<>();
    List<JsonNode> ends = new ArrayList<>();
    for (String line : lines) {
      JsonNode n = Json.mapper().readTree(line);
      switch (n.path("event").asText()) {
        case "step" -> steps.add(n);
        case "epoch" -> epochs.add(n);
        case "end" -> ends.add(n);
        default -> fail("unexpected line " + line);
      }
    }
    assertEquals(EPOCHS * STEPS, steps.size());
    assertEquals(EPOCHS, epochs.size());
    assertEquals(1, ends.size());
    assertEquals("end", Json.mapper().readTree(lines.get(lines.size() - 1)).path("event").asText());
    for (int i = 0; i < steps.size(); i++) {
      JsonNode r = steps.get(i).path("report");
      assertEquals(i + 1, r.path("step").asLong(), "step line " + i + ": " + steps.get(i));
      assertTrue(r.path("timing").path("compute").asDouble() > 0, "step line " + i + ": " + steps.get(i));
    }
    for (int e = 0; e < EPOCHS; e++) {
      assertEquals(e + 1, epochs.get(e).path("metrics").path("epoch").asInt(), "epoch line " + e);
    }
    assertEquals(EPOCHS * STEPS, ends.get(0).path("steps").asLong());
    assertEquals("completed " + EPOCHS + " epochs", ends.get(0).path("stopReason").asText());
  }

  @Test
  void sparkJobDescriptionsNamePackingEachStepAndEachValidation(SparkSession spark) throws TimeoutException {
    SparkContext sc = spark.sparkContext();
    Recorder rec = new Recorder();
    JobDescriptions jobs = new JobDescriptions();
    sc.listenerBus().waitUntilEmpty(30_000);
    sc.addSparkListener(jobs);
    try {
      fit(spark, CFG.withValidation(0.2, null), rec);
      sc.listenerBus().waitUntilEmpty(30_000);
    } finally {
      sc.removeSparkListener(jobs);
    }

    // rows held out for validation change the step count; the listener reports it
    int steps = (int) (long) rec.start.get(1);
    Set<String> expected = new LinkedHashSet<>(List.of("treeprop: pack and validate training data"));
    for (int e = 1; e <= EPOCHS; e++) {
      for (int s = 1; s <= steps; s++) {
        expected.add(String.format("treeprop: epoch %d/%d, step %d/%d (global %d)", e, EPOCHS, s, steps,
            (e - 1) * steps + s));
      }
      expected.add(String.format("treeprop: epoch %d/%d, validation", e, EPOCHS));
    }
    assertEquals(expected, new LinkedHashSet<>(jobs.seen), "every job of the run is named: " + jobs.seen);
    // packing may take more than one job (adaptive execution runs the input's shuffle first); training does not
    long trainingJobs = jobs.seen.stream().filter(d -> d.startsWith("treeprop: epoch")).count();
    assertEquals(EPOCHS * (steps + 1), trainingJobs, "one job per step and per validation: " + jobs.seen);
  }

  @Test
  void fitRestoresTheCallersJobDescription(SparkSession spark) {
    SparkContext sc = spark.sparkContext();
    sc.setJobDescription("nightly pipeline");
    try {
      fit(spark, CFG.withEpochs(1).withValidation(0.2, null), new Recorder());
      assertEquals("nightly pipeline", sc.getLocalProperty(JOB_DESCRIPTION));
    } finally {
      sc.setJobDescription(null);
    }
  }

  private static void fit(SparkSession spark, TrainConfig cfg, TrainingListener listener) {
    Dataset<Row> df = TestData.blobs(spark, ROWS, 6, PARTITIONS, 11);
    new SparkTrainer(SparkTrainConfig.of(cfg)).addListener(listener).fit(NET, new Losses.CategoricalCrossEntropy(), df,
        null, InputColumns.defaults());
  }

  /** Records every call, in order. Called on the driver's training thread only. */
  private static final class Recorder implements TrainingListener {
    final List<String> calls = new ArrayList<>();
    final List<Long> start = new ArrayList<>();
    final List<StepReport> steps = new ArrayList<>();
    final List<EpochMetrics> epochs = new ArrayList<>();
    final List<TrainingSummary> ends = new ArrayList<>();

    @Override
    public void onStart(long rows, int stepsPerEpoch, int epochs, int partitions) {
      calls.add("start");
      start.addAll(List.of(rows, (long) stepsPerEpoch, (long) epochs, (long) partitions));
    }

    @Override
    public void onStep(StepReport step) {
      calls.add("step");
      steps.add(step);
    }

    @Override
    public void onEpoch(EpochMetrics epoch) {
      calls.add("epoch");
      epochs.add(epoch);
    }

    @Override
    public void onEnd(TrainingSummary summary) {
      calls.add("end");
      ends.add(summary);
    }
  }

  /** The description of every Spark job started while registered (called on the listener-bus thread). */
  private static final class JobDescriptions extends SparkListener {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
      seen.add(String.valueOf(jobStart.properties().getProperty(JOB_DESCRIPTION)));
    }
  }
}
