package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.EarlyStopping;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The barrier exchange (one Spark job per run, validations included, contributions streamed to the driver)
 * against the tree exchange (one treeAggregate job per step): the same weights and metrics bit for bit, in one JVM
 * and over TCP, through a failed task, a crash and resume, divergence, and other jobs wanting the slots.
 */
@ExtendWith(LocalSpark.class)
class BarrierExchangeTest {
  private static final NetworkSpec SPEC = NetworkSpec.input(6).dense(16).relu().dropout(0.2f).dense(3).softmax();

  @TempDir
  Path tmp;

  private static TrainConfig config(int epochs) {
    return new TrainConfig(epochs, 40, 1, new Updater(new Optimizers.Adam(0.01f)), 0.2,
        EarlyStopping.onValidationLoss(10));
  }

  /** Fits on 2 partitions (the slots of local[2]); {@code tcp} makes the barrier tasks use a socket. */
  private static Model fit(SparkSession spark, SparkTrainConfig cfg, boolean tcp, TrainingListener... ls) {
    return fit(spark, cfg, null, tcp, ls);
  }

  /** As above, validating on {@code validation} when given (else on 20 % held out). */
  private static Model fit(SparkSession spark, SparkTrainConfig cfg, Dataset<Row> validation, boolean tcp,
      TrainingListener... ls) {
    Dataset<Row> df = TestData.blobs(spark, 400, 6, 2, 3);
    spark.sparkContext().setLocalProperty(BarrierExchange.FORCE_TCP, tcp ? "true" : null);
    try {
      SparkTrainer t = new SparkTrainer(cfg);
      for (TrainingListener l : ls) {
        t.addListener(l);
      }
      return t.fit(SPEC, new Losses.CategoricalCrossEntropy(), df, validation, InputColumns.defaults());
    } finally {
      spark.sparkContext().setLocalProperty(BarrierExchange.FORCE_TCP, null);
    }
  }

  private static SparkTrainConfig barrier(int epochs) {
    return SparkTrainConfig.of(config(epochs)).withExchange(Exchange.BARRIER);
  }

  private static List<List<Object>> metrics(Model m) {
    return m.summary().epochs().stream().map(e -> List.<Object>of(e.step(), e.trainLoss(), e.trainAccuracy(),
        e.validationLoss(), e.validationAccuracy(), e.learningRate())).toList();
  }

  /** Counts Spark jobs and failed task attempts while {@code body} runs. */
  private static int[] counting(SparkSession spark, Runnable body) {
    AtomicInteger jobs = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    SparkListener l = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart s) {
        jobs.incrementAndGet();
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() instanceof TaskFailedReason) {
          failed.incrementAndGet();
        }
      }
    };
    spark.sparkContext().addSparkListener(l);
    try {
      body.run();
    } finally {
      try {
        spark.sparkContext().listenerBus().waitUntilEmpty();
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(e);
      }
      spark.sparkContext().removeSparkListener(l);
    }
    return new int[] {jobs.get(), failed.get()};
  }

  @Test
  void barrierGivesBitForBitTheWeightsOfTheTreeExchangeWithFewerJobs(SparkSession spark) {
    Model[] m = new Model[3];
    int[] tree = counting(spark, () -> m[0] = fit(spark, SparkTrainConfig.of(config(3))
        .withExchange(Exchange.TREE), false));
    int[] inJvm = counting(spark, () -> m[1] = fit(spark, barrier(3), false));
    int[] tcp = counting(spark, () -> m[2] = fit(spark, barrier(3), true));
    assertArrayEquals(m[0].params(), m[1].params(), 0f);
    assertArrayEquals(m[0].params(), m[2].params(), 0f);
    assertEquals(metrics(m[0]), metrics(m[1]));
    assertEquals(metrics(m[0]), metrics(m[2]));
    assertTrue(m[1].summary().epochs().get(2).validationAccuracy() > 0.9, m[1].summary().epochs().toString());
    // the tree exchange runs a job per step and per validation, the barrier exchange one job for all of them
    long steps = m[0].summary().steps();
    assertTrue(steps >= 24, "steps: " + steps);
    assertTrue(tree[0] >= steps + 3, "tree jobs: " + tree[0]);
    assertEquals(tree[0] - steps - 3 + 1, inJvm[0], "barrier jobs (in one JVM); tree: " + tree[0]);
    assertEquals(tree[0] - steps - 3 + 1, tcp[0], "barrier jobs (TCP); tree: " + tree[0]);
  }

  @Test
  void aMultiStageJobFromAnotherThreadRunsWhileTrainingGoesOn(SparkSession spark) throws Exception {
    SparkTrainConfig long200 = SparkTrainConfig.of(new TrainConfig(200, 40, 1,
        new Updater(new Optimizers.Adam(0.01f)), 0.2, null)).withExchange(Exchange.BARRIER);
    Model clean = fit(spark, long200, false);
    AtomicInteger step = new AtomicInteger();
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch submitted = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicLong doneAtStep = new java.util.concurrent.atomic.AtomicLong(-1);
    SparkListener seen = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart e) {
        if ("other".equals(e.properties().getProperty("spark.jobGroup.id"))) {
          submitted.countDown();
        }
      }
    };
    spark.sparkContext().addSparkListener(seen);
    Thread other = new Thread(() -> {
      try {
        started.await();
        spark.sparkContext().setJobGroup("other", "another thread's job", false);
        // a shuffle: two stages, the second submitted only when the first is done
        long keys = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
            .parallelize(java.util.stream.IntStream.range(0, 1000).boxed().toList(), 2)
            .mapToPair(i -> new scala.Tuple2<>(i % 7, 1)).reduceByKey(Integer::sum).count();
        doneAtStep.set(keys == 7 ? step.get() : -2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    other.start();
    TrainingListener tick = new TrainingListener() {
      @Override
      public void onStep(StepReport s) {
        step.set((int) s.step());
        if (s.step() > 3) {
          LockSupport.parkNanos(1_000_000); // steps of this tiny network take far less than Spark's polls
        }
        if (s.step() == 3) {
          started.countDown();
          try {
            // from here on the other job waits for the slots this training holds, unless it yields them
            assertTrue(submitted.await(30, java.util.concurrent.TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    };
    Model m = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> fit(spark, long200, false, tick));
    other.join(60_000);
    spark.sparkContext().removeSparkListener(seen);
    long total = m.summary().steps();
    assertTrue(doneAtStep.get() >= 3 && doneAtStep.get() < total * 9 / 10,
        "the other job finished at step " + doneAtStep.get() + " of " + total + ", not while training");
    assertArrayEquals(clean.params(), m.params(), 0f);
    assertEquals(metrics(clean), metrics(m));
  }

  @Test
  void twoTrainingsThatFitTheSlotsTogetherDoNotEndEachOthersBarrierJobs(SparkSession spark) throws Exception {
    Dataset<Row> a = TestData.blobs(spark, 300, 6, 1, 3);
    Dataset<Row> b = TestData.blobs(spark, 300, 6, 1, 4);
    java.util.function.Function<Dataset<Row>, Model> train = df -> new SparkTrainer(barrier(4)).fit(SPEC,
        new Losses.CategoricalCrossEntropy(), df, null, InputColumns.defaults());
    Model[] solo = new Model[2];
    int[] soloJobs = counting(spark, () -> {
      solo[0] = train.apply(a);
      solo[1] = train.apply(b);
    });
    Model[] together = new Model[2];
    int[] jobs = counting(spark, () -> {
      Thread t = new Thread(() -> together[1] = train.apply(b));
      t.start();
      together[0] = train.apply(a);
      try {
        t.join(120_000);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertArrayEquals(solo[0].params(), together[0].params(), 0f);
    assertArrayEquals(solo[1].params(), together[1].params(), 0f);
    // one partition each, two slots: each keeps its one barrier job (a restart or two while the other packs)
    assertTrue(jobs[0] <= soloJobs[0] + 4, "jobs together: " + jobs[0] + ", one after the other: " + soloJobs[0]);
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void aValidationDataFrameIsValidatedInsideTheBarrierJobWithTheTreeExchangesMetrics(boolean tcp,
      SparkSession spark) {
    // one partition: packed into as many as the training data, so each task holds a part of it
    Dataset<Row> val = TestData.blobs(spark, 150, 6, 1, 3);
    Model[] m = new Model[2];
    int[] tree = counting(spark, () -> m[0] = fit(spark, SparkTrainConfig.of(config(3))
        .withExchange(Exchange.TREE), val, tcp));
    int[] barrier = counting(spark, () -> m[1] = fit(spark, barrier(3), val, tcp));
    assertArrayEquals(m[0].params(), m[1].params(), 0f);
    assertEquals(metrics(m[0]), metrics(m[1]));
    assertTrue(m[1].summary().epochs().get(2).validationAccuracy() > 0.9, m[1].summary().epochs().toString());
    // all steps and validations in one barrier job, after one job that spreads the validation blocks
    assertEquals(tree[0] - m[0].summary().steps() - 3 + 1 + 1, barrier[0], "barrier jobs; tree: " + tree[0]);
  }

  @Test
  void aValidationDataFrameSparkWillNotZipIsValidatedByItsOwnJobs(SparkSession spark) {
    // a union in the validation data's lineage: Spark refuses a barrier stage over it, not over the training data
    Dataset<Row> val = TestData.rddUnion(TestData.blobs(spark, 80, 6, 1, 3), TestData.blobs(spark, 80, 6, 1, 5));
    assertEquals(2, val.rdd().getNumPartitions());
    Model tree = fit(spark, SparkTrainConfig.of(config(2)).withExchange(Exchange.TREE), val, false);
    Model[] barrier = new Model[1];
    int[] jobs = counting(spark, () -> barrier[0] = fit(spark, barrier(2), val, false));
    assertArrayEquals(tree.params(), barrier[0].params(), 0f);
    assertEquals(metrics(tree), metrics(barrier[0]));
    // the refused job, then per epoch: a barrier job for the steps and a validation job
    assertTrue(jobs[0] < tree.summary().steps(), "jobs: " + jobs[0]);
  }

  @Test
  void sparkJobsStartedByListenersGetTheSlotsAndTrainingGoesOn(SparkSession spark) {
    Model clean = fit(spark, barrier(3), false);
    AtomicInteger counted = new AtomicInteger();
    TrainingListener busy = new TrainingListener() {
      @Override
      public void onStep(StepReport s) {
        if (s.step() == 4) {
          counted.addAndGet((int) spark.range(10).count());
        }
      }

      @Override
      public void onEpoch(io.treeprop.core.model.EpochMetrics e) {
        counted.addAndGet((int) spark.range(100).count());
      }
    };
    // were the slots not handed over, the listener's jobs would wait forever
    Model m = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> fit(spark, barrier(3), false, busy));
    assertEquals(10 + 3 * 100, counted.get());
    assertArrayEquals(clean.params(), m.params(), 0f);
    assertEquals(metrics(clean), metrics(m));
  }

  /**
   * A run in which partition 0's first task attempt fails where the test property says: the job restarts there and
   * the weights and metrics equal an unfailed run's.
   */
  @ParameterizedTest(name = "{0}={1}, tcp={2}")
  @CsvSource({"treeprop.testing.failFirstAttemptAtStep, 5, false", "treeprop.testing.failFirstAttemptAtStep, 5, true",
      "treeprop.testing.failFirstAttemptValidatingEpoch, 2, false",
      "treeprop.testing.failFirstAttemptValidatingEpoch, 2, true"})
  void aFailedTaskRestartsTheJobAtTheOrderInFlightAndGivesTheSameResults(String property, String value,
      boolean tcp, SparkSession spark) {
    assertTrue(property.equals(StepTask.FAIL_PROPERTY) || property.equals(BarrierTask.FAIL_VALIDATING_PROPERTY));
    Model clean = fit(spark, barrier(3), tcp);
    Model[] retried = new Model[1];
    System.setProperty(property, value);
    int[] counts;
    try {
      counts = counting(spark, () -> retried[0] = fit(spark, barrier(3), tcp));
    } finally {
      System.clearProperty(property);
    }
    assertTrue(counts[1] >= 1, "a task attempt failed: " + counts[1]);
    assertArrayEquals(clean.params(), retried[0].params(), 0f);
    assertEquals(metrics(clean), metrics(retried[0]));
  }

  @Test
  void aCrashMidEpochResumesFromTheLastCheckpointToTheUninterruptedWeights(SparkSession spark) {
    Model straight = fit(spark, barrier(3), false);
    CheckpointConfig cp = new CheckpointConfig("file:" + tmp.resolve("crash"), 5, false, 2);
    SparkTrainConfig cfg = barrier(3).withCheckpoints(cp, true);
    TrainingListener crash = new TrainingListener() {
      @Override
      public void onStep(StepReport s) {
        if (s.step() == 13) {
          throw new IllegalStateException("simulated driver crash at step 13");
        }
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> fit(spark, cfg, false, crash));
    assertTrue(e.getMessage().contains("simulated"), e.getMessage());
    assertTrue(Files.exists(tmp.resolve("crash/step-000000010")), "the checkpoint of step 10, inside epoch 2");
    Model resumed = fit(spark, cfg, false);
    assertArrayEquals(straight.params(), resumed.params(), 0f);
    assertEquals(metrics(straight), metrics(resumed));
  }

  @Test
  void divergenceStopsWithAClearErrorAndFreesTheTaskSlots(SparkSession spark) {
    TrainConfig wild = new TrainConfig(5, 40, 1, new Updater(new Optimizers.Sgd(1e30f)), 0, null);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> fit(spark, SparkTrainConfig.of(wild).withExchange(Exchange.BARRIER), false));
    assertTrue(e.getMessage().startsWith("training diverged: "), e.getMessage());
    // the barrier job of the failed run is gone: a new run gets both slots
    Model next = fit(spark, barrier(1), false);
    assertEquals(1, next.summary().epochs().size());
    assertTrue(next.summary().steps() >= 8, "steps: " + next.summary().steps());
  }

  @Test
  void askingForBarrierWithMorePartitionsThanSlotsIsAClearError(SparkSession spark) {
    Dataset<Row> df = TestData.blobs(spark, 400, 6, 3, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(barrier(1))
        .fit(SPEC, new Losses.CategoricalCrossEntropy(), df, null, InputColumns.defaults()));
    assertTrue(e.getMessage().contains("all 3 partitions at once") && e.getMessage().contains("2 task slots")
        && e.getMessage().contains("exchange tree"), e.getMessage());
    // auto falls back to the tree exchange and trains
    Model m = new SparkTrainer(SparkTrainConfig.of(config(1))).fit(SPEC, new Losses.CategoricalCrossEntropy(), df,
        null, InputColumns.defaults());
    assertEquals(1, m.summary().epochs().size());
  }

  @Test
  void aBarrierJobSparkRefusesFallsBackToTreeUnderAutoAndIsAClearErrorUnderBarrier(SparkSession spark) {
    // a union in the lineage: Spark refuses barrier stages over it (its RDD chain check), whatever we retry
    Dataset<Row> df = TestData.rddUnion(TestData.blobs(spark, 200, 6, 1, 3), TestData.blobs(spark, 200, 6, 1, 4));
    assertEquals(2, df.rdd().getNumPartitions());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(barrier(1))
        .fit(SPEC, new Losses.CategoricalCrossEntropy(), df, null, InputColumns.defaults()));
    assertTrue(e.getMessage().startsWith("exchange barrier: Spark refused the barrier job")
        && e.getMessage().endsWith("use exchange tree"), e.getMessage());
    Model auto = new SparkTrainer(SparkTrainConfig.of(config(2))).fit(SPEC, new Losses.CategoricalCrossEntropy(),
        df, null, InputColumns.defaults());
    Model tree = new SparkTrainer(SparkTrainConfig.of(config(2)).withExchange(Exchange.TREE)).fit(SPEC,
        new Losses.CategoricalCrossEntropy(), df, null, InputColumns.defaults());
    assertArrayEquals(tree.params(), auto.params(), 0f);
  }
}
