package io.treeprop.spark.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.train.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.reflect.ClassTag$;

/** Block scoring on Spark's internal rows: same outputs as the core model, columns kept, bad rows named. */
@ExtendWith(LocalSpark.class)
class BlockScorerTest {
  private static final NetworkSpec SPEC = NetworkSpec.input(5).dense(7).tanh().dense(2);
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType, false)
      .add("features", SQLDataTypes.VectorType(), true).add("note", DataTypes.StringType, true);
  private static final StructType APPENDED = new StructType().add("prediction", SQLDataTypes.VectorType(), false);

  private static Model model() {
    var net = SPEC.compile();
    return new Model(SPEC, net.initParams(3), new Losses.Mse());
  }

  private static Dataset<Row> score(SparkSession spark, Model m, Dataset<Row> df) {
    Broadcast<Weights> bc = spark.sparkContext().broadcast(new Weights(m.params(), m.state()),
        ClassTag$.MODULE$.apply(Weights.class));
    return BlockScorer.score(df, "features", m.spec(), bc, APPENDED, BlockScorer::regression);
  }

  @Test
  void denseAndSparseRowsScoreAsTheCoreModelDoesAndKeepTheirColumns(SparkSession spark) {
    Model m = model();
    Random rng = new Random(1);
    List<Row> rows = new ArrayList<>();
    int n = 2 * BlockScorer.BLOCK + 37; // several blocks per partition, the last one partial
    float[] x = new float[n * 5];
    for (int i = 0; i < n; i++) {
      double[] v = new double[5];
      for (int j = 0; j < 5; j++) {
        v[j] = rng.nextInt(3) == 0 ? 0 : rng.nextGaussian();
        x[i * 5 + j] = (float) v[j];
      }
      Vector vec = i % 2 == 0 ? Vectors.dense(v) : Vectors.dense(v).toSparse();
      rows.add(RowFactory.create((long) i, vec, i % 3 == 0 ? null : "row " + i));
    }
    float[] expected = m.predict(x, n);
    List<Row> scored = score(spark, m, spark.createDataFrame(rows, SCHEMA).repartition(3)).collectAsList();
    assertEquals(n, scored.size());
    for (Row r : scored) {
      int i = (int) r.getLong(0);
      assertEquals(rows.get(i).get(1), r.get(1), "features kept");
      assertEquals(rows.get(i).get(2), r.get(2), "other columns kept, nulls too");
      Vector p = r.getAs(3);
      assertEquals(expected[i * 2], p.apply(0), 1e-6, "row " + i);
      assertEquals(expected[i * 2 + 1], p.apply(1), 1e-6, "row " + i);
    }
  }

  @Test
  void aRowWithTheWrongFeatureCountIsAClearError(SparkSession spark) {
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(1L, Vectors.dense(1, 2, 3, 4, 5), "ok"),
        RowFactory.create(2L, Vectors.sparse(4, new int[] {1}, new double[] {1}), "short")), SCHEMA);
    Exception e = assertThrows(Exception.class, () -> score(spark, model(), df).collect());
    assertTrue(String.valueOf(rootCause(e).getMessage()).contains("a row to score has 4 features; the model takes 5"),
        e.toString());
  }

  @Test
  void aNullFeatureVectorIsAClearError(SparkSession spark) {
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(1L, null, "none")), SCHEMA);
    Exception e = assertThrows(Exception.class, () -> score(spark, model(), df).collect());
    assertTrue(String.valueOf(rootCause(e).getMessage()).contains("features column is null in a row to score"),
        e.toString());
  }

  @Test
  void aFeaturesColumnThatIsNotAVectorIsRefusedBeforeAnyJob(SparkSession spark) {
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(1L, 2.0)),
        new StructType().add("id", DataTypes.LongType).add("features", DataTypes.DoubleType));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> score(spark, model(), df));
    assertEquals("the features column \"features\" has type double; it must be a vector", e.getMessage());
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
