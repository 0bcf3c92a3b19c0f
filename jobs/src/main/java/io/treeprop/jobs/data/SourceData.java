package io.treeprop.jobs.data;

import io.treeprop.core.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A data set read and checked by {@link DataSource}: a DataFrame with a vector column {@value #FEATURES} and, for
 * labelled data, a column {@value #LABEL}, plus what the check learned about it, and the rows as the source gave
 * them (every column, for scoring to carry through).
 *
 * <p>The label is a double for IDX, LIBSVM and numeric Parquet columns, and a string for CSV (which has no types:
 * whether "3" names a class or is a regression target is the job's decision) and string Parquet columns. Turn it
 * into class indices with {@link LabelMapping}, or into numbers with {@link DataSource#numericLabels}.
 *
 * @param frame the rows as {@value #FEATURES} and {@value #LABEL}; lazily re-read from the source by each Spark job
 *     that uses it
 * @param rows the number of rows, counted by the check
 * @param features the size of every feature vector
 * @param description names the source in errors, e.g. {@code csv data at hdfs:///d/train.csv}
 * @param featureColumns the named columns the features were assembled from, in order (CSV, and Parquet without a
 *     vector column); null when the features come as one vector
 * @param input every column of the source as read (CSV feature columns as doubles), plus the features as a vector
 *     in {@code inputFeatures}; {@code frame} itself when null
 * @param inputFeatures the vector column of {@code input} holding the features: a column of the source, or
 *     {@value #HIDDEN_FEATURES} added by the reader (then dropped from scores)
 * @param shape the shape of each row's features when the source knows it ({@code [1, rows, cols]} for IDX
 *     images, {@code [channels, height, width]} for image folders), else null
 */
public record SourceData(Dataset<Row> frame, long rows, int features, String description,
    List<String> featureColumns, Dataset<Row> input, String inputFeatures, Shape shape) {
  public static final String FEATURES = "features";
  public static final String LABEL = "label";
  /** The vector column a reader adds to {@link #input} when the source has none of its own. */
  public static final String HIDDEN_FEATURES = "_treeprop_features";

  public SourceData {
    if (frame == null || !Arrays.asList(frame.columns()).contains(FEATURES)) {
      throw new IllegalArgumentException("source data needs a frame with a \"" + FEATURES + "\" column");
    }
    if (rows < 0 || features < 1) {
      throw new IllegalArgumentException(description + ": " + rows + " rows of " + features + " features");
    }
    featureColumns = featureColumns == null ? null : List.copyOf(featureColumns);
    if (input == null) {
      input = frame;
      inputFeatures = FEATURES;
    }
    if (shape != null && shape.size() != features) {
      throw new IllegalArgumentException(description + ": the shape " + shape + " does not hold " + features
          + " features");
    }
  }

  /** Data of a source that does not know its rows' shape. */
  public SourceData(Dataset<Row> frame, long rows, int features, String description, List<String> featureColumns,
      Dataset<Row> input, String inputFeatures) {
    this(frame, rows, features, description, featureColumns, input, inputFeatures, null);
  }

  /** Data whose frame is all there is (features, an optional label). */
  public SourceData(Dataset<Row> frame, long rows, int features, String description) {
    this(frame, rows, features, description, null, null, null, null);
  }

  /** Whether the frame has a {@value #LABEL} column. */
  public boolean labeled() {
    return Arrays.asList(frame.columns()).contains(LABEL);
  }

  /** The same data set with a transformed frame (same rows and feature count); the input is kept as read. */
  public SourceData withFrame(Dataset<Row> transformed) {
    return new SourceData(transformed, rows, features, description, featureColumns, input, inputFeatures, shape);
  }
}
