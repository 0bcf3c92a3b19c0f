package io.treeprop.spark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.treeprop.spark.LocalSpark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After the packer's repartition, each partition's rows come in an order that depends on their values only, not
 * on the order the shuffle delivered them in (on a cluster a reducer reads its own executor's map outputs first,
 * and a partition recomputed after a lost executor reads them in yet another order).
 */
@ExtendWith(LocalSpark.class)
class PackingOrderTest {
  @Test
  void rowsOfARepartitionedPartitionComeInAnOrderSetByTheirValues(SparkSession spark) {
    SplittableRandom rng = new SplittableRandom(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      // a few exact duplicates too: equal rows are interchangeable
      double a = i % 50 == 0 ? 1.0 : rng.nextGaussian();
      rows.add(RowFactory.create(Vectors.dense(a, i % 50 == 0 ? 2.0 : rng.nextGaussian()), (double) (i % 3),
          i % 50 == 0 ? 1.0 : 1.0 + rng.nextInt(3)));
    }
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType).add("w", DataTypes.DoubleType);
    Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(4).repartition(2).cache();
    // the same partitions with their rows delivered in reverse
    Dataset<Row> reversed = df.mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
      List<Row> l = new ArrayList<>();
      it.forEachRemaining(l::add);
      Collections.reverse(l);
      return l.iterator();
    }, Encoders.row(schema));
    assertNotEquals(partitions(df), partitions(reversed), "the two inputs do differ in order");
    assertEquals(partitions(Packer.ordered(df)), partitions(Packer.ordered(reversed)));
    assertEquals(400, partitions(Packer.ordered(df)).size());
    df.unpersist();
  }

  /** Each row as "partition: values", in partition order then row order. */
  private static List<String> partitions(Dataset<Row> df) {
    return df.javaRDD().mapPartitionsWithIndex((p, it) -> {
      List<String> l = new ArrayList<>();
      it.forEachRemaining(r -> l.add(p + ": " + r));
      return l.iterator();
    }, true).collect();
  }
}
