package io.treeprop.spark.train;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a step's weights and gradients travel between the driver and the partitions (DESIGN.md). */
public enum Exchange {
  /** One Spark job per step: broadcast the weights, {@code treeAggregate} the gradients. Works everywhere. */
  TREE("tree"),
  /**
   * One Spark barrier job for the whole run whose tasks stream each step's contribution (and each validation's
   * sums) to the driver and receive the new weights back: no per-step job cost. Needs every partition running at
   * once, no dynamic allocation, and no Spark network encryption. Another job of the application waiting for task
   * slots makes it hand them back (within ~0.2 s), run tree steps while that job waits, then start a new barrier
   * job.
   */
  BARRIER("barrier"),
  /** {@link #BARRIER} when the application allows it, otherwise {@link #TREE}. */
  AUTO("auto");

  private final String jsonName;

  Exchange(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  /** Parses {@code tree}, {@code barrier} or {@code auto}. */
  public static Exchange fromName(String name) {
    for (Exchange e : values()) {
      if (e.jsonName.equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("exchange '" + name + "' is not one of "
        + Arrays.stream(values()).map(Exchange::jsonName).collect(Collectors.joining(", ")));
  }
}
