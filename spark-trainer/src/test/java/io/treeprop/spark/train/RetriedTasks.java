package io.treeprop.spark.train;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a training with the first attempt of partition 0's task at one global step failing (the trainer's test hook),
 * counting the failed task attempts.
 */
final class RetriedTasks {
  /** What {@link #failingAt} trained and how many task attempts failed meanwhile. */
  record Run<T>(T result, int failedAttempts) {}

  private RetriedTasks() {}

  static <T> Run<T> failingAt(SparkSession spark, long globalStep, Supplier<T> training) throws Exception {
    AtomicInteger failed = new AtomicInteger();
    SparkListener counter = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() instanceof TaskFailedReason) {
          failed.incrementAndGet();
        }
      }
    };
    spark.sparkContext().addSparkListener(counter);
    System.setProperty(StepTask.FAIL_PROPERTY, String.valueOf(globalStep));
    try {
      T result = training.get();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      return new Run<>(result, failed.get());
    } finally {
      System.clearProperty(StepTask.FAIL_PROPERTY);
      spark.sparkContext().removeSparkListener(counter);
    }
  }
}
