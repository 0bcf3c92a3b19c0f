package io.treeprop.jobs.data;

import static io.treeprop.jobs.data.DataSource.col;
import static io.treeprop.jobs.data.SourceData.FEATURES;
import static io.treeprop.jobs.data.SourceData.LABEL;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The one Spark job that reads every row of a source before it is used: counts rows, missing and NaN values and
 * vector sizes in a single aggregation, and on a problem runs one more small job to show the first bad row and
 * its file.
 */
final class Checks {
  private static final int SHOWN_VALUES = 10;

  private Checks() {}

  /**
   * Checks numeric feature columns (cast to double) and the label, then assembles the features into a vector
   * with {@link VectorAssembler} ({@code handleInvalid = "error"}, which the check makes unreachable).
   *
   * @param label the label column, or null for unlabelled data
   * @param touch further columns the check reads, so that a CSV parser sees (and checks) every field of a row
   */
  static SourceData numeric(Dataset<Row> df, String label, List<String> features, List<String> touch, String what) {
    List<Column> selected = new ArrayList<>();
    if (label != null) {
      selected.add(DataSource.label(df.schema(), label, what));
    }
    List<Column> aggs = new ArrayList<>();
    List<Column> invalid = new ArrayList<>();
    String[] assembled = new String[features.size()];
    for (int j = 0; j < features.size(); j++) {
      Column v = col(features.get(j)).cast(DataTypes.DoubleType);
      assembled[j] = "_f" + j;
      selected.add(v.as(assembled[j]));
      invalid.add(v.isNull().or(functions.isnan(v)));
      aggs.add(count(when(invalid.get(j), 1)));
    }
    if (label != null) {
      aggs.add(count(when(col(label).isNull(), 1)));
    }
    touch.forEach(c -> aggs.add(count(col(c))));
    Row r = df.agg(count(lit(1)), aggs.toArray(Column[]::new)).first();
    long rows = nonEmpty(r.getLong(0), what);
    for (int j = 0; j < features.size(); j++) {
      long n = r.getLong(1 + j);
      if (n > 0) {
        Row bad = df.where(invalid.get(j)).select(col(features.get(j)).cast(DataTypes.DoubleType)).first();
        throw new IllegalArgumentException(what + ": the feature column \"" + features.get(j) + "\" is "
            + (bad.isNullAt(0) ? "empty (null)" : "NaN") + " in " + n + " row(s), e.g. "
            + example(df, invalid.get(j), label, features) + "; every feature must be a number: fill or drop "
            + "such rows");
      }
    }
    if (label != null) {
      checkNoNullLabels(df, col(label), r.getLong(1 + features.size()), label, features, what);
    }
    Dataset<Row> frame = new VectorAssembler().setInputCols(assembled).setOutputCol(FEATURES)
        .setHandleInvalid("error").transform(df.select(selected.toArray(Column[]::new)));
    frame = label == null ? frame.select(FEATURES) : frame.select(FEATURES, LABEL);
    return new SourceData(frame, rows, features.size(), what, features, withHiddenFeatures(df, features),
        SourceData.HIDDEN_FEATURES);
  }

  /** Every column of {@code df} plus the features assembled into {@link SourceData#HIDDEN_FEATURES}. */
  private static Dataset<Row> withHiddenFeatures(Dataset<Row> df, List<String> features) {
    List<Column> all = new ArrayList<>();
    for (String c : df.columns()) {
      all.add(col(c));
    }
    String[] assembled = new String[features.size()];
    for (int j = 0; j < features.size(); j++) {
      assembled[j] = "_treeprop_f" + j;
      all.add(col(features.get(j)).cast(DataTypes.DoubleType).as(assembled[j]));
    }
    return new VectorAssembler().setInputCols(assembled).setOutputCol(SourceData.HIDDEN_FEATURES)
        .setHandleInvalid("error").transform(df.select(all.toArray(Column[]::new))).drop(assembled);
  }

  /**
   * Checks a frame of {@code features} (vectors) and an optional {@code label}: no nulls, and every vector of
   * the same size.
   */
  static SourceData vectors(Dataset<Row> frame, String what) {
    return vectors(frame, null, null, what);
  }

  /**
   * As {@link #vectors(Dataset, String)}, keeping {@code input} (every column of the source, the features as a
   * vector in {@code inputFeatures}) for scoring; null for the frame itself.
   */
  static SourceData vectors(Dataset<Row> frame, Dataset<Row> input, String inputFeatures, String what) {
    boolean labeled = List.of(frame.columns()).contains(LABEL);
    UserDefinedFunction size = functions.udf((UDF1<Vector, Integer>) v -> v == null ? null : v.size(),
        DataTypes.IntegerType);
    Column features = frame.col(FEATURES);
    List<Column> aggs = new ArrayList<>(List.of(count(when(features.isNull(), 1)),
        functions.min(size.apply(features)), functions.max(size.apply(features))));
    if (labeled) {
      aggs.add(count(when(frame.col(LABEL).isNull(), 1)));
    }
    Row r = frame.agg(count(lit(1)), aggs.toArray(Column[]::new)).first();
    long rows = nonEmpty(r.getLong(0), what);
    if (r.getLong(1) > 0) {
      throw new IllegalArgumentException(what + ": the features are null in " + r.getLong(1) + " row(s), e.g. "
          + example(frame, features.isNull(), labeled ? LABEL : null, List.of()) + "; every row needs a "
          + "feature vector: drop such rows");
    }
    int min = r.getInt(2);
    int max = r.getInt(3);
    if (min != max) {
      String row = example(frame, size.apply(features).equalTo(min), null, List.of());
      throw new IllegalArgumentException(what + ": the feature vectors have different sizes, from " + min + " to "
          + max + " values (e.g. a row" + (row.isEmpty() ? "" : " " + row) + " has " + min + "); every row needs "
          + "the same number of features");
    }
    if (labeled) {
      checkNoNullLabels(frame, frame.col(LABEL), r.getLong(4), LABEL, List.of(), what);
    }
    return new SourceData(frame, rows, max, what, null, input, inputFeatures);
  }

  private static long nonEmpty(long rows, String what) {
    if (rows == 0) {
      throw new IllegalArgumentException(what + " has no rows");
    }
    return rows;
  }

  private static void checkNoNullLabels(Dataset<Row> df, Column label, long nulls, String name,
      List<String> features, String what) {
    if (nulls > 0) {
      throw new IllegalArgumentException(what + ": the label column \"" + name + "\" is empty (null) in " + nulls
          + " row(s), e.g. " + example(df, label.isNull(), name, features) + "; every row needs a label: fill "
          + "or drop such rows");
    }
  }

  /** The file and the first few values of the first row where {@code where} holds. */
  static String example(Dataset<Row> df, Column where, String label, List<String> features) {
    List<String> names = new ArrayList<>();
    if (label != null) {
      names.add(label);
    }
    names.addAll(features.subList(0, Math.min(features.size(), SHOWN_VALUES)));
    List<Column> cols = new ArrayList<>(List.of(functions.input_file_name()));
    names.forEach(n -> cols.add(col(n)));
    Row row = df.where(where).select(cols.toArray(Column[]::new)).first();
    StringBuilder sb = new StringBuilder(row.getString(0).isEmpty() ? "" : "in file "
        + DataSource.fileName(row.getString(0)));
    if (!names.isEmpty()) {
      sb.append(sb.length() == 0 ? "the row [" : " the row [");
      for (int i = 0; i < names.size(); i++) {
        sb.append(i > 0 ? ", " : "").append(names.get(i)).append('=').append(row.get(i + 1));
      }
      sb.append(features.size() > SHOWN_VALUES ? ", ...]" : "]");
    }
    return sb.toString();
  }
}
