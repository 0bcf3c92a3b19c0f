package io.treeprop.jobs.data;

import static io.treeprop.jobs.data.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Feature scaling: exact values, fitted on training data only, and identical after a model-file round trip. */
@ExtendWith(LocalSpark.class)
class ScalingTest {
  @TempDir
  Path dir;

  @Test
  void factorMultipliesEveryFeatureAndKeepsSparseVectorsSparse(SparkSession spark) {
    double f = 1.0 / 255;
    SourceData d = Fixtures.data(spark, List.of(RowFactory.create(Vectors.dense(0, 255, 128), 0.0),
        RowFactory.create(Vectors.sparse(3, new int[] {2}, new double[] {51}), 1.0)), DataTypes.DoubleType);
    SourceData scaled = new Scaling.Factor(f).apply(d);
    Fixtures.assertRows(new double[][] {{0, 255 * f, 128 * f}, {0, 0, 51 * f}}, Fixtures.features(scaled));
    assertEquals(1.0, Fixtures.features(scaled)[0][1], 1e-15);
    Vector sparse = (Vector) scaled.frame().collectAsList().get(1).get(0);
    assertInstanceOf(SparseVector.class, sparse);
    assertEquals(List.of(0.0, 1.0), Fixtures.labels(scaled), "labels untouched");
  }

  @Test
  void standardizeFitsMeanAndSampleDeviationOnTrainingDataAndAppliesThemToTestData(SparkSession spark) {
    SourceData train = Fixtures.data(spark, List.of(RowFactory.create(Vectors.dense(1, 5), 0.0),
        RowFactory.create(Vectors.dense(3, 5), 1.0), RowFactory.create(Vectors.dense(5, 5), 0.0)),
        DataTypes.DoubleType);
    Scaling.Standardize s = Scaling.standardize(train);
    // column 0: mean 3, sample variance ((1-3)² + 0 + (5-3)²) / (3 - 1) = 4; column 1 is constant: divisor 1
    assertArrayEquals(new double[] {3, 5}, s.mean());
    assertArrayEquals(new double[] {2, 1}, s.stddev());
    SourceData test = Fixtures.data(spark, List.of(RowFactory.create(Vectors.dense(7, 6), 1.0),
        RowFactory.create(Vectors.dense(3, 5), 0.0), RowFactory.create(Vectors.dense(-1, 4.5), 0.0)),
        DataTypes.DoubleType);
    Fixtures.assertRows(new double[][] {{2, 1}, {0, 0}, {-2, -0.5}}, Fixtures.features(s.apply(test)));
    Fixtures.assertRows(new double[][] {{-1, 0}, {0, 0}, {1, 0}}, Fixtures.features(s.apply(train)));
  }

  @Test
  void everyScalingSurvivesAModelFileRoundTripAndScalesIdentically(SparkSession spark) throws Exception {
    SourceData d = Fixtures.data(spark, List.of(RowFactory.create(Vectors.dense(0.1, 0.7), 0.0),
        RowFactory.create(Vectors.dense(0.2, 1.3), 1.0), RowFactory.create(Vectors.dense(0.3 + 1e-9, 2.9), 1.0)),
        DataTypes.DoubleType);
    List<Scaling> all = List.of(new Scaling.None(), new Scaling.Factor(1.0 / 255), Scaling.standardize(d));
    for (Scaling s : all) {
      Path modelDir = dir.resolve(s.getClass().getSimpleName());
      ModelFiles.save(model(s.toMetadata()), modelDir, false);
      assertTrue(Files.readString(modelDir.resolve(ModelFiles.MODEL_JSON)).contains("\"scaling\""));
      Scaling back = Scaling.fromMetadata(ModelFiles.load(modelDir).metadata());
      assertEquals(s, back);
      Fixtures.assertRows(Fixtures.features(s.apply(d)), Fixtures.features(back.apply(d)));
    }
  }

  @Test
  void modelWithoutScalingIsUnscaled(SparkSession spark) {
    SourceData d = Fixtures.data(spark, List.of(RowFactory.create(Vectors.dense(2, 3), 0.0)), DataTypes.DoubleType);
    Scaling none = Scaling.fromMetadata(Map.of());
    assertInstanceOf(Scaling.None.class, none);
    assertSame(d, none.apply(d));
  }

  @Test
  void malformedMetadataIsNamed() {
    fails(() -> Scaling.fromMetadata(Map.of("scaling", Map.of("type", "factor"))),
        "invalid model metadata \"scaling\"", "a required number is missing");
    fails(() -> Scaling.fromMetadata(Map.of("scaling", Map.of("type", "zoom"))),
        "invalid model metadata \"scaling\"", "zoom");
    fails(() -> Scaling.fromMetadata(Map.of("scaling", Map.of("type", "standardize", "mean", List.of(1.0),
        "stddev", List.of(0.0)))), "feature 0 has mean 1.0 and stddev 0.0", "finite and positive");
  }

  @Test
  void standardizationFittedOnOtherFeaturesIsRefused(SparkSession spark) {
    SourceData d = Fixtures.data(spark, List.of(RowFactory.create(Vectors.dense(1, 2, 3), 0.0)),
        DataTypes.DoubleType);
    Scaling s = new Scaling.Standardize(new double[] {0, 0}, new double[] {1, 1});
    fails(() -> s.apply(d), "test data has 3 features; the standardization was fitted on 2");
  }

  @Test
  void zeroOrInfiniteFactorIsRefused() {
    fails(() -> new Scaling.Factor(0), "scaling factor is 0.0", "finite non-zero");
    fails(() -> new Scaling.Factor(Double.POSITIVE_INFINITY), "scaling factor is Infinity");
  }

  private static Model model(Map<String, Object> metadata) {
    NetworkSpec spec = NetworkSpec.input(2).dense(2).softmax();
    float[] params = new float[spec.compile().layout().paramCount()];
    return new Model(spec, params, new Losses.CategoricalCrossEntropy()).with(null, metadata);
  }
}
