package io.treeprop.jobs.score;

import io.treeprop.core.model.Model;
import io.treeprop.jobs.data.LabelMapping;
import java.io.Serializable;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructType;

/**
 * A classifier's classes as the scores show them: the names of the probability columns, and the prediction in
 * the labels the model was trained on (the label mapping in its metadata): numbers as doubles, names as strings.
 * Without a mapping, the model's own class labels as strings, else the class index.
 *
 * @param names the class names by index
 * @param values the numeric label of each class (numeric mapping), else null
 * @param strings whether the prediction is the class name (a string)
 */
record ClassNames(String[] names, double[] values, boolean strings) implements Serializable {
  /**
   * @param classes the number of classes (2 for a one-output binary classifier)
   * @param userLabels false: the prediction is the class index whatever the model knows (evaluation)
   */
  static ClassNames of(Model model, int classes, boolean userLabels) {
    List<String> labels = LabelMapping.fromMetadata(model.metadata()).map(LabelMapping::labels)
        .filter(l -> l.size() == classes).orElse(null);
    boolean numeric = LabelMapping.fromMetadata(model.metadata()).map(LabelMapping::numeric).orElse(false);
    if (labels == null && model.labels().size() == classes) {
      labels = model.labels();
      numeric = false;
    }
    if (labels == null) {
      String[] index = IntStream.range(0, classes).mapToObj(Integer::toString).toArray(String[]::new);
      return new ClassNames(index, IntStream.range(0, classes).asDoubleStream().toArray(), false);
    }
    String[] names = labels.toArray(String[]::new);
    if (!userLabels) {
      return new ClassNames(names, IntStream.range(0, classes).asDoubleStream().toArray(), false);
    }
    double[] values = numeric ? labels.stream().mapToDouble(Double::parseDouble).toArray() : null;
    return new ClassNames(names, values, !numeric);
  }

  /** The prediction column's value for class {@code c}. */
  Object prediction(int c) {
    return strings ? names[c] : (Object) values[c];
  }

  /** The appended columns: {@code prediction} (double or string), {@code probability} (a vector). */
  StructType schema() {
    DataType type = strings ? DataTypes.StringType : DataTypes.DoubleType;
    Metadata label = new MetadataBuilder().putBoolean(Scoring.CLASSES_METADATA, true).build();
    Metadata classes = new MetadataBuilder().putStringArray(Scoring.CLASSES_METADATA, names).build();
    return new StructType().add(Scoring.PREDICTION, type, false, label)
        .add(Scoring.PROBABILITY, SQLDataTypes.VectorType(), false, classes);
  }
}
