package io.treeprop.jobs.data;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A data set read and checked by {@link DataSource}: a DataFrame with a vector column {@value #FEATURES} and, for
 * labelled data, a column {@value #LABEL}, plus what the check learned about it.
 *
 * <p>The label is a double for IDX, LIBSVM and numeric Parquet columns, and a string for CSV (which has no types:
 * whether "3" names a class or is a regression target is the job's decision) and string Parquet columns. Turn it
 * into class indices with {@link LabelMapping}, or into numbers with {@link DataSource#numericLabels}.
 *
 * @param frame the rows; lazily re-read from the source by each Spark job that uses it
 * @param rows the number of rows, counted by the check
 * @param features the size of every feature vector
 * @param description names the source in errors, e.g. {@code csv data at hdfs:///d/train.csv}
 */
public record SourceData(Dataset<Row> frame, long rows, int features, String description) {
  public static final String FEATURES = "features";
  public static final String LABEL = "label";

  public SourceData {
    if (frame == null || !Arrays.asList(frame.columns()).contains(FEATURES)) {
      throw new IllegalArgumentException("source data needs a frame with a \"" + FEATURES + "\" column");
    }
    if (rows < 0 || features < 1) {
      throw new IllegalArgumentException(description + ": " + rows + " rows of " + features + " features");
    }
  }

  /** Whether the frame has a {@value #LABEL} column. */
  public boolean labeled() {
    return Arrays.asList(frame.columns()).contains(LABEL);
  }

  /** The same data set with a transformed frame (same rows and feature count). */
  public SourceData withFrame(Dataset<Row> transformed) {
    return new SourceData(transformed, rows, features, description);
  }
}
