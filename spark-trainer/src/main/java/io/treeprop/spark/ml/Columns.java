package io.treeprop.spark.ml;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Small helpers over DataFrame columns shared by the estimators. */
final class Columns {
  private Columns() {}

  /** The size of the first non-null vector of {@code col}. */
  static int numFeatures(Dataset<?> df, String col) {
    List<Row> first = df.toDF().select(col).na().drop().limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new IllegalArgumentException("training data is empty: the features column \"" + col + "\" has no "
          + "non-null value");
    }
    return ((Vector) first.get(0).get(0)).size();
  }
}
