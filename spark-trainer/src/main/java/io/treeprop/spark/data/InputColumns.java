package io.treeprop.spark.data;

import java.io.Serializable;

/**
 * Which DataFrame columns feed training.
 *
 * @param features a vector column ({@code org.apache.spark.ml.linalg.Vector})
 * @param label a numeric column (class index, 0/1, or a real target) or a vector column for several targets
 * @param weight a numeric column of per-row loss weights, or null for all ones
 */
public record InputColumns(String features, String label, String weight) implements Serializable {
  public static final String DEFAULT_FEATURES = "features";
  public static final String DEFAULT_LABEL = "label";

  public InputColumns {
    if (features == null || features.isBlank()) {
      throw new IllegalArgumentException("the features column name is required");
    }
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("the label column name is required");
    }
  }

  /** {@code features} and {@code label}, unweighted. */
  public static InputColumns defaults() {
    return new InputColumns(DEFAULT_FEATURES, DEFAULT_LABEL, null);
  }
}
