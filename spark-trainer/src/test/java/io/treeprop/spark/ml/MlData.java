package io.treeprop.spark.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Raw tables for the Spark ML tests: numeric columns and a string label, like a CSV would give. */
final class MlData {
  static final String[] SPECIES = {"fir", "oak", "pine"};

  private MlData() {}

  /** Three classes of points in 4 columns a..d with different means and scales, string labels. */
  static Dataset<Row> trees(SparkSession spark, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(3);
      rows.add(RowFactory.create(
          100 + 30 * c + 12 * rng.nextGaussian(),
          0.01 * (c == 1 ? 2 : 0) + 0.01 * rng.nextGaussian(),
          5 * (c == 2 ? 1 : 0) + 2 * rng.nextGaussian(),
          rng.nextGaussian(),
          SPECIES[c]));
    }
    StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
        .add("c", DataTypes.DoubleType).add("d", DataTypes.DoubleType).add("species", DataTypes.StringType);
    return spark.createDataFrame(rows, schema).repartition(3);
  }

  /** y = sin(x1) + 0.5·x2² − x3 + noise(σ), x uniform in [−2, 2]³. */
  static Dataset<Row> regression(SparkSession spark, int n, double sigma, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x1 = rng.nextDouble(-2, 2);
      double x2 = rng.nextDouble(-2, 2);
      double x3 = rng.nextDouble(-2, 2);
      double y = Math.sin(x1) + 0.5 * x2 * x2 - x3 + sigma * rng.nextGaussian();
      rows.add(RowFactory.create(x1, x2, x3, y));
    }
    StructType schema = new StructType().add("x1", DataTypes.DoubleType).add("x2", DataTypes.DoubleType)
        .add("x3", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema).repartition(2);
  }
}
