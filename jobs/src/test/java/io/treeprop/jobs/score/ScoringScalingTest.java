package io.treeprop.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.jobs.data.Scaling;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.spark.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The model's scaling is applied as rows are scored, dense or sparse, and the features column is passed through. */
@ExtendWith(LocalSpark.class)
class ScoringScalingTest {
  private static final int D = 4;

  @Test
  void standardizedDenseAndSparseRowsScoreAsTheModelOnScaledFeatures(SparkSession spark) {
    var spec = NetworkSpec.input(D).dense(6).tanh().dense(1);
    Model core = new Model(spec, spec.compile().initParams(5), new Losses.Mse());
    Scaling.Standardize s = new Scaling.Standardize(new double[] {1, -2, 0.5, 0}, new double[] {2, 0.25, 1, 3});
    Model model = core.with(core.summary(), s.toMetadata());
    Random rng = new Random(2);
    List<Row> rows = new ArrayList<>();
    int n = 700;
    float[] scaled = new float[n * D];
    for (int i = 0; i < n; i++) {
      double[] v = new double[D];
      for (int j = 0; j < D; j++) {
        v[j] = rng.nextInt(3) == 0 ? 0 : rng.nextGaussian() * 3;
        scaled[i * D + j] = (float) ((v[j] - s.mean()[j]) / s.stddev()[j]);
      }
      rows.add(RowFactory.create((long) i, i % 2 == 0 ? Vectors.dense(v) : Vectors.dense(v).toSparse()));
    }
    StructType schema = new StructType().add("id", DataTypes.LongType, false)
        .add(SourceData.FEATURES, SQLDataTypes.VectorType(), false);
    var frame = spark.createDataFrame(rows, schema).repartition(2);
    float[] expected = model.predict(scaled, n);
    List<Row> out = Scoring.score(spark, model, new SourceData(frame, n, D, "rows")).collectAsList();
    assertEquals(n, out.size());
    for (Row r : out) {
      int i = (int) r.getLong(0);
      assertEquals((Vector) rows.get(i).get(1), r.get(1), "the features column is passed through unscaled");
      assertEquals(expected[i], r.getDouble(2), 1e-6, "prediction of row " + i);
    }
  }

  @Test
  void aStandardizationFittedOnOtherFeaturesIsRefused(SparkSession spark) {
    var spec = NetworkSpec.input(3).dense(1);
    Model core = new Model(spec, spec.compile().initParams(1), new Losses.Mse());
    Model model = core.with(core.summary(), new Scaling.Standardize(new double[] {0, 0}, new double[] {1, 1})
        .toMetadata());
    var frame = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3))),
        new StructType().add(SourceData.FEATURES, SQLDataTypes.VectorType(), false));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Scoring.score(spark, model, new SourceData(frame, 1, 3, "three features")));
    assertTrue(e.getMessage().contains("the standardization was fitted on 2"), e.getMessage());
  }
}
