package io.treeprop.jobs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.function.Executable;

/** Helpers the data-source tests share: IDX bytes, collected rows, error assertions. */
final class Fixtures {
  private Fixtures() {}

  /** An unsigned-byte IDX file: magic {@code 0x0000 08 rank}, big-endian dimensions, then the data. */
  static byte[] idx(int[] dims, byte[] data, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream raw = gzip ? new GZIPOutputStream(bytes) : bytes;
        DataOutputStream out = new DataOutputStream(raw)) {
      out.writeInt(0x0800 | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    }
    return bytes.toByteArray();
  }

  /** A labelled data set from rows of {@code [features vector, label]}, the label of the given type. */
  static SourceData data(org.apache.spark.sql.SparkSession spark, List<Row> rows,
      org.apache.spark.sql.types.DataType labelType) {
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add(SourceData.FEATURES, org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
        .add(SourceData.LABEL, labelType);
    int features = ((Vector) rows.get(0).get(0)).size();
    return new SourceData(spark.createDataFrame(rows, schema).coalesce(1), rows.size(), features, "test data");
  }

  /** The features of every row, in order. */
  static double[][] features(SourceData data) {
    List<Row> rows = data.frame().select(SourceData.FEATURES).collectAsList();
    double[][] x = new double[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = ((Vector) rows.get(i).get(0)).toArray();
    }
    return x;
  }

  /** The label of every row, in order, as Spark returns it (Double or String). */
  static List<Object> labels(SourceData data) {
    List<Object> y = new ArrayList<>();
    data.frame().select(SourceData.LABEL).collectAsList().forEach(r -> y.add(r.get(0)));
    return y;
  }

  /** Asserts that {@code run} throws an IllegalArgumentException whose message contains every fragment. */
  static String fails(Executable run, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "expected \"" + f + "\" in: " + e.getMessage());
    }
    return e.getMessage();
  }

  static void assertRows(double[][] expected, double[][] actual) {
    assertEquals(expected.length, actual.length, "rows");
    for (int i = 0; i < expected.length; i++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected[i], actual[i], 0.0, "row " + i);
    }
  }
}
