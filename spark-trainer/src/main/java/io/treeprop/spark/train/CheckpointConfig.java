package io.treeprop.spark.train;

import java.io.Serializable;

/**
 * Where and how often to checkpoint.
 *
 * @param dir a Hadoop path ({@code file:}, {@code hdfs:}, {@code s3a:} ...)
 * @param everySteps write every this many optimizer steps; 0 for none
 * @param everyEpoch write at the end of every epoch
 * @param keepLast how many checkpoints to keep (older ones are deleted after a new one is complete)
 */
public record CheckpointConfig(String dir, int everySteps, boolean everyEpoch, int keepLast) implements Serializable {
  public static final int DEFAULT_KEEP_LAST = 3;

  public CheckpointConfig {
    if (dir == null || dir.isBlank()) {
      throw new IllegalArgumentException("checkpoint.dir is required");
    }
    if (everySteps < 0) {
      throw new IllegalArgumentException("checkpoint.everySteps (" + everySteps + ") must be >= 0 (0 = off)");
    }
    if (everySteps == 0 && !everyEpoch) {
      throw new IllegalArgumentException("checkpoint: set everySteps > 0 or everyEpoch, or leave checkpoints off");
    }
    if (keepLast < 1) {
      throw new IllegalArgumentException("checkpoint.keepLast (" + keepLast + ") must be at least 1");
    }
  }

  /** At the end of every epoch, keeping the last 3. */
  public static CheckpointConfig everyEpoch(String dir) {
    return new CheckpointConfig(dir, 0, true, DEFAULT_KEEP_LAST);
  }
}
