package io.treeprop.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Small DataFrames the Spark tests make. */
public final class TestData {
  public static final StructType SCHEMA = new StructType(new StructField[] {
      new StructField("features", SQLDataTypes.VectorType(), true, org.apache.spark.sql.types.Metadata.empty()),
      new StructField("label", DataTypes.DoubleType, true, org.apache.spark.sql.types.Metadata.empty())});

  private TestData() {}

  /** Three Gaussian blobs in {@code dims} dimensions, labels 0..2, {@code partitions} partitions. */
  public static Dataset<Row> blobs(SparkSession spark, int n, int dims, int partitions, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      double[] x = new double[dims];
      for (int j = 0; j < dims; j++) {
        x[j] = (j % 3 == c ? 1.5 : 0) + 0.5 * rng.nextGaussian();
      }
      rows.add(RowFactory.create(Vectors.dense(x), (double) c));
    }
    return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
  }

  /**
   * {@code a} and {@code b} as one DataFrame whose lineage keeps a {@code UnionRDD} (one partition per input
   * partition). {@code Dataset.union} does not guarantee that: Spark 4's optimizer folds a union of local tables
   * into one table of one partition.
   */
  public static Dataset<Row> rddUnion(Dataset<Row> a, Dataset<Row> b) {
    return a.sparkSession().createDataFrame(a.toJavaRDD().union(b.toJavaRDD()), a.schema());
  }

  /** The features and labels of {@code df} in its row order, as flat arrays. */
  public static float[][] collect(Dataset<Row> df) {
    List<Row> rows = df.collectAsList();
    int d = ((org.apache.spark.ml.linalg.Vector) rows.get(0).get(0)).size();
    float[] x = new float[rows.size() * d];
    float[] y = new float[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      double[] v = ((org.apache.spark.ml.linalg.Vector) rows.get(i).get(0)).toArray();
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) v[j];
      }
      y[i] = (float) rows.get(i).getDouble(1);
    }
    return new float[][] {x, y};
  }
}
