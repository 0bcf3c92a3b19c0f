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

  /** Fails unless {@code col} exists and holds vectors. */
  static void requireVector(org.apache.spark.sql.types.StructType schema, String col, String role) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(col)) {
      throw new IllegalArgumentException("the " + role + " column \"" + col + "\" does not exist; the columns are "
          + java.util.Arrays.toString(schema.fieldNames()));
    }
    if (!schema.apply(col).dataType().equals(org.apache.spark.ml.linalg.SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("the " + role + " column \"" + col + "\" has type "
          + schema.apply(col).dataType().simpleString() + "; it must be a vector (use VectorAssembler)");
    }
  }
}
