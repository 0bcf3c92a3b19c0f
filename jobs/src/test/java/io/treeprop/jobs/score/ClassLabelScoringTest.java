package io.treeprop.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.jobs.data.LabelMapping;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classifier's scores are in the labels it was trained on: string labels as strings, numeric labels (here -1
 * and 1 under a one-output loss) as their values; the CSV probability columns are named by class.
 */
@ExtendWith(LocalSpark.class)
class ClassLabelScoringTest {
  @TempDir
  Path tmp;

  private static SourceData rows(SparkSession spark, int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create("r" + i, Vectors.dense(i - n / 2.0, 1)));
    }
    Dataset<Row> frame = spark.createDataFrame(rows, new StructType().add("id", DataTypes.StringType)
        .add(SourceData.FEATURES, SQLDataTypes.VectorType()));
    return new SourceData(frame, n, 2, "rows");
  }

  @Test
  void stringLabelsArePredictedAsStringsAndNameTheCsvProbabilityColumns(SparkSession spark) throws Exception {
    NetworkSpec spec = NetworkSpec.input(2).dense(2).softmax();
    // class 1 ("dog") wins for a large first feature, class 0 ("cat") for a small one
    float[] w = {-1, 1, 0, 0, 0, 0};
    Model model = new Model(spec, w, new Losses.CategoricalCrossEntropy());
    model = model.with(model.summary(), new LabelMapping(false, List.of("cat", "dog")).toMetadata());
    Dataset<Row> scored = Scoring.score(spark, model, rows(spark, 10));
    assertEquals(DataTypes.StringType, scored.schema().apply(Scoring.PREDICTION).dataType());
    List<Row> out = scored.select("id", Scoring.PREDICTION).orderBy("id").collectAsList();
    assertEquals("cat", out.get(0).getString(1), "row r0 has the smallest first feature");
    assertEquals("dog", scored.where("id = 'r9'").select(Scoring.PREDICTION).first().getString(0));

    String csv = tmp.resolve("scores.csv").toString();
    Scoring.write(scored, csv, "csv", false);
    String header = Files.readAllLines(Files.list(Path.of(csv)).filter(p -> p.toString().endsWith(".csv"))
        .findFirst().orElseThrow()).get(0);
    assertEquals("id,features_0,features_1,prediction,probability_cat,probability_dog", header);
  }

  @Test
  void numericLabelsOfABinaryModelArePredictedAsTheirValues(SparkSession spark) {
    NetworkSpec spec = NetworkSpec.input(2).dense(1).sigmoid();
    Model model = new Model(spec, new float[] {1, 0, 0}, new Losses.BinaryCrossEntropy());
    model = model.with(model.summary(), new LabelMapping(true, List.of("-1", "1")).toMetadata());
    List<Row> out = Scoring.score(spark, model, rows(spark, 10)).orderBy("id").collectAsList();
    assertEquals(-1.0, out.get(0).getDouble(2), "a negative first feature: the first class, -1");
    assertTrue(out.stream().anyMatch(r -> r.getDouble(2) == 1.0), "the other class, 1");
    assertTrue(out.stream().allMatch(r -> r.getDouble(2) == -1.0 || r.getDouble(2) == 1.0));
  }
}
