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

  /**
   * The vector size the schema records for {@code col} (an {@code ml_attr} attribute group); -1 when it records
   * none, or {@code col} is missing or not a vector (Spark's own column checks say so).
   */
  static int vectorSize(org.apache.spark.sql.types.StructType schema, String col) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(col)
        || !schema.apply(col).dataType().equals(org.apache.spark.ml.linalg.SQLDataTypes.VectorType())) {
      return -1;
    }
    return org.apache.spark.ml.attribute.AttributeGroup.fromStructField(schema.apply(col)).size();
  }

  /**
   * Fails when the schema says (in its {@code ml_attr} metadata) that {@code col} holds vectors of another size
   * than the model's {@code input}; a column without a recorded size is checked row by row as it is scored.
   */
  static void requireSize(org.apache.spark.sql.types.StructType schema, String col, io.treeprop.core.tensor.Shape
      input) {
    int size = vectorSize(schema, col);
    if (size >= 0 && size != input.size()) {
      throw new IllegalArgumentException("the features column \"" + col + "\" holds vectors of " + size
          + " numbers; the model takes " + input.size() + (input.isImage() ? " (an image " + input + ")" : ""));
    }
  }

  /**
   * A vector column's field; {@code size >= 0} puts the size in its metadata (an {@code ml_attr} attribute group,
   * what {@code VectorAssembler} and {@code VectorSizeHint} read), as Spark's own models do for their outputs.
   */
  static org.apache.spark.sql.types.StructField vectorField(String name, int size) {
    if (size < 0) {
      return new org.apache.spark.sql.types.StructField(name, org.apache.spark.ml.linalg.SQLDataTypes.VectorType(),
          false, org.apache.spark.sql.types.Metadata.empty());
    }
    org.apache.spark.sql.types.StructField f = new org.apache.spark.ml.attribute.AttributeGroup(name, size)
        .toStructField();
    return new org.apache.spark.sql.types.StructField(name, f.dataType(), false, f.metadata());
  }

  /** The named fields (nulls skipped) of {@code schema}, in order, with their metadata: a model's output columns. */
  static org.apache.spark.sql.types.StructType appended(org.apache.spark.sql.types.StructType schema,
      String... names) {
    org.apache.spark.sql.types.StructType out = new org.apache.spark.sql.types.StructType();
    for (String n : names) {
      if (n != null) {
        org.apache.spark.sql.types.StructField f = schema.apply(n);
        // non-null: the scorer writes a value for every row
        out = out.add(new org.apache.spark.sql.types.StructField(f.name(), f.dataType(), false, f.metadata()));
      }
    }
    return out;
  }
}
