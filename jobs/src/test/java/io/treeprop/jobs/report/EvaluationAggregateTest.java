package io.treeprop.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treeprop.spark.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The accumulators work as the evaluate command uses them: one {@code treeAggregate} over scored rows in several
 * partitions, with Kryo registration required (the registrations come through TreepropKryoRegistrator's
 * service hook), and give what a single pass gives.
 */
@ExtendWith(LocalSpark.class)
class EvaluationAggregateTest {
  private static final int K = 5;

  @Test
  void confusionMatrixFromOneTreeAggregateEqualsTheLocalCount(SparkSession spark) {
    Random rnd = new Random(2);
    List<Integer> pairs = new ArrayList<>();
    ConfusionMatrix local = new ConfusionMatrix(K);
    for (int i = 0; i < 2000; i++) {
      int t = rnd.nextInt(K);
      int p = rnd.nextDouble() < 0.6 ? t : rnd.nextInt(K);
      pairs.add(t * K + p);
      local.add(t, p);
    }
    JavaRDD<Integer> rows = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(pairs, 6);
    ConfusionMatrix distributed = rows.treeAggregate(new ConfusionMatrix(K),
        (m, x) -> m.add(x / K, x % K), ConfusionMatrix::merge, 2);
    assertEquals(local, distributed);
  }

  @Test
  void regressionStatsFromOneTreeAggregateMatchTheLocalPass(SparkSession spark) {
    Random rnd = new Random(4);
    List<double[]> rows = new ArrayList<>();
    RegressionStats local = new RegressionStats(1);
    for (int i = 0; i < 2000; i++) {
      double y = 1e6 + rnd.nextGaussian();
      double p = y + 0.3 * rnd.nextGaussian();
      rows.add(new double[] {y, p});
      local.add(y, p);
    }
    RegressionStats distributed = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 6)
        .treeAggregate(new RegressionStats(1), (s, r) -> s.add(r[0], r[1]), RegressionStats::merge, 2);
    RegressionReport a = RegressionReport.of(local, null);
    RegressionReport b = RegressionReport.of(distributed, null);
    assertEquals(2000, b.rows());
    assertEquals(a.r2(), b.r2(), 1e-9);
    assertEquals(a.rmse(), b.rmse(), 1e-12);
    assertEquals(a.mae(), b.mae(), 1e-12);
  }
}
