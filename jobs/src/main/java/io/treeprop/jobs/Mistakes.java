package io.treeprop.jobs;

import io.treeprop.core.tensor.Shape;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.report.MisclassifiedImages;
import io.treeprop.jobs.score.Scoring;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Finds a classifier's most confident mistakes on image data for the report ({@link MisclassifiedImages}): numbers
 * the scored rows in the data's order, keeps the misclassified ones, and collects the {@link
 * MisclassifiedImages#LIMIT} whose predicted class had the highest probability (ties by row) with their pixels as
 * read — the scaling is applied inside the scorer, so the features column still holds the data's own values.
 */
final class Mistakes {
  private static final StructType SCHEMA = new StructType().add("row", DataTypes.LongType, false)
      .add("truth", DataTypes.IntegerType, false).add("predicted", DataTypes.IntegerType, false)
      .add("probability", DataTypes.DoubleType, false).add("pixels", SQLDataTypes.VectorType(), false);

  private Mistakes() {}

  /** Whether the report can show {@code shape}'s rows as pictures: {@code [1 or 3, h, w]}. */
  static boolean drawable(Shape shape) {
    return shape != null && shape.isImage() && (shape.channels() == 1 || shape.channels() == 3);
  }

  /**
   * The mistakes to show.
   *
   * @param scored {@link Scoring#scoreIndices}'s rows: features, label and prediction as class indices, probability
   * @param misclassified how many rows were misclassified in all
   */
  static MisclassifiedImages find(SparkSession spark, Dataset<Row> scored, Shape shape, List<String> labels,
      long misclassified) {
    JavaRDD<Row> wrong = scored.select(SourceData.FEATURES, SourceData.LABEL, Scoring.PREDICTION,
        Scoring.PROBABILITY).javaRDD().zipWithIndex()
        .filter(t -> (int) t._1().getDouble(1) != (int) t._1().getDouble(2))
        .map(t -> {
          Row r = t._1();
          int p = (int) r.getDouble(2);
          return RowFactory.create(t._2(), (int) r.getDouble(1), p, ((Vector) r.get(3)).apply(p), r.get(0));
        });
    List<Row> top = spark.createDataFrame(wrong, SCHEMA)
        .orderBy(functions.col("probability").desc(), functions.col("row").asc())
        .limit(MisclassifiedImages.LIMIT).collectAsList();
    List<MisclassifiedImages.Example> examples = new ArrayList<>(top.size());
    for (Row r : top) {
      examples.add(new MisclassifiedImages.Example(r.getLong(0), r.getInt(1), r.getInt(2), r.getDouble(3),
          ((Vector) r.get(4)).toArray()));
    }
    return new MisclassifiedImages(examples, misclassified, shape.channels(), shape.height(), shape.width(), labels);
  }
}
