package io.treeprop.jobs.data;

import static io.treeprop.jobs.data.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Class labels to indices: value order, numeric labels kept, model-file round trip, unseen labels. */
@ExtendWith(LocalSpark.class)
class LabelMappingTest {
  @TempDir
  Path dir;

  @Test
  void stringLabelsMapToIndicesInValueOrder(SparkSession spark) {
    SourceData train = labelled(spark, DataTypes.StringType, "dog", "cat", "bird", "cat", "Zebra");
    LabelMapping m = LabelMapping.fit(train);
    assertFalse(m.numeric());
    assertEquals(List.of("Zebra", "bird", "cat", "dog"), m.labels(), "String.compareTo: upper case first");
    assertEquals(List.of(3.0, 2.0, 1.0, 2.0, 0.0), Fixtures.labels(m.apply(train)));
  }

  @Test
  void numericLabelsThatAreAlreadyClassIndicesStayAsTheyAre(SparkSession spark) {
    SourceData train = labelled(spark, DataTypes.DoubleType, 2.0, 0.0, 1.0, 2.0);
    LabelMapping m = LabelMapping.fit(train);
    assertEquals(new LabelMapping(true, List.of("0", "1", "2")), m);
    assertEquals(List.of(2.0, 0.0, 1.0, 2.0), Fixtures.labels(m.apply(train)));
  }

  @Test
  void numericStringsFromCsvSortAsNumbersSoClassIndicesStay(SparkSession spark) {
    List<Object> y = new ArrayList<>();
    for (int i = 11; i >= 0; i--) {
      y.add(Integer.toString(i));
    }
    SourceData train = labelled(spark, DataTypes.StringType, y.toArray());
    LabelMapping m = LabelMapping.fit(train);
    assertTrue(m.numeric());
    assertEquals("10", m.labels().get(10), "numeric order, not \"10\" < \"2\"");
    assertEquals(List.of(11.0, 10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0), Fixtures.labels(m.apply(train)));
  }

  @Test
  void otherNumericLabelsAreRenumberedInNumericOrder(SparkSession spark) {
    SourceData train = labelled(spark, DataTypes.DoubleType, 1.0, -1.0, 1.0, 2.5);
    LabelMapping m = LabelMapping.fit(train);
    assertEquals(List.of("-1", "1", "2.5"), m.labels());
    assertEquals(List.of(1.0, 0.0, 1.0, 2.0), Fixtures.labels(m.apply(train)));
    // the same classes written as CSV strings map to the same indices
    assertEquals(List.of(0.0, 1.0, 2.0), Fixtures.labels(m.apply(labelled(spark, DataTypes.StringType, "-1.0",
        "1", "2.50"))));
  }

  @Test
  void mappingSurvivesAModelFileRoundTripAndMapsEvaluationDataTheSame(SparkSession spark) throws Exception {
    LabelMapping m = LabelMapping.fit(labelled(spark, DataTypes.StringType, "shirt", "coat", "bag"));
    NetworkSpec spec = NetworkSpec.input(2).dense(3).softmax();
    Model model = new Model(spec, new float[spec.compile().layout().paramCount()], spec.compile().initState(),
        new Losses.CategoricalCrossEntropy(), m.labels(), null, m.toMetadata());
    ModelFiles.save(model, dir.resolve("model"), false);
    assertTrue(Files.readString(dir.resolve("model").resolve(ModelFiles.MODEL_JSON)).contains("\"labelMapping\""));
    Model loaded = ModelFiles.load(dir.resolve("model"));
    LabelMapping back = LabelMapping.fromMetadata(loaded.metadata()).orElseThrow();
    assertEquals(m, back);
    assertEquals(List.of("bag", "coat", "shirt"), loaded.labels());
    SourceData eval = labelled(spark, DataTypes.StringType, "coat", "bag", "shirt", "coat");
    assertEquals(List.of(1.0, 0.0, 2.0, 1.0), Fixtures.labels(back.apply(eval)));
    assertEquals(Optional.empty(), LabelMapping.fromMetadata(Map.of()));
  }

  @Test
  void unseenLabelAtEvaluationIsNamed(SparkSession spark) {
    LabelMapping m = LabelMapping.fit(labelled(spark, DataTypes.StringType, "cat", "dog"));
    SourceData eval = labelled(spark, DataTypes.StringType, "dog", "bird", "cat");
    fails(() -> m.apply(eval), "test data: 1 row(s) have labels never seen in the training data: [bird]; the model "
        + "knows 2 classes: [cat, dog]");
    LabelMapping digits = LabelMapping.fit(labelled(spark, DataTypes.DoubleType, 0.0, 1.0));
    fails(() -> digits.apply(labelled(spark, DataTypes.DoubleType, 1.0, 7.0)),
        "labels never seen in the training data: [7]");
  }

  @Test
  void explicitOrderIsKeptAndDuplicatesRefused(SparkSession spark) {
    LabelMapping m = LabelMapping.of(List.of("no", "yes"));
    assertEquals(List.of(1.0, 0.0), Fixtures.labels(m.apply(labelled(spark, DataTypes.StringType, "yes", "no"))));
    fails(() -> LabelMapping.of(List.of("a", "b", "a")), "the class label \"a\" appears twice");
    fails(() -> LabelMapping.of(List.of("1", "1.0")), "the class label \"1.0\" appears twice");
    fails(() -> LabelMapping.fromMetadata(Map.of("labelMapping", Map.of("labels", List.of("a")))),
        "invalid model metadata \"labelMapping\"", "a required number is missing");
  }

  @Test
  void tooManyDistinctLabelsIsNotAClassification(SparkSession spark) {
    org.apache.spark.sql.Column id = org.apache.spark.sql.functions.col("id").cast("double");
    SourceData d = new SourceData(spark.range(LabelMapping.MAX_CLASSES + 1).select(
        org.apache.spark.ml.functions.array_to_vector(org.apache.spark.sql.functions.array(id)).as("features"),
        id.as("label")), LabelMapping.MAX_CLASSES + 1, 1, "ids");
    fails(() -> LabelMapping.fit(d), "ids: the label has more than 10000 distinct values",
        "is it a regression target or an ID?");
  }

  private static SourceData labelled(SparkSession spark, DataType type, Object... labels) {
    List<Row> rows = new ArrayList<>();
    for (Object l : labels) {
      rows.add(RowFactory.create(Vectors.dense(0, 1), l));
    }
    return Fixtures.data(spark, rows, type);
  }
}
