package io.treeprop.jobs.data;

import static io.treeprop.jobs.data.DataSource.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * CSV through Spark's reader in FAILFAST mode with an explicit schema: the column names come from the header (or
 * are Spark's {@code _c0, _c1, ...} without one), feature columns are doubles, the label and unused columns
 * strings. When the check job fails on a malformed row, a diagnosis re-reads the data in PERMISSIVE mode to find
 * the first malformed row and its file, re-splits it with the same options to tell a ragged row from a
 * non-numeric value, and counts the lines before it in that file, so the error names the file, line, column and
 * value.
 */
final class CsvSource {
  private static final String CORRUPT = "_treeprop_corrupt_record";

  private CsvSource() {}

  static SourceData read(SparkSession spark, SourceSpec spec) {
    String what = DataSource.describe(spec);
    DataSource.requireFiles(spark, spec.path(), what);
    StructType names = reader(spark, spec).csv(spec.path()).schema();
    if (names.isEmpty()) {
      throw new IllegalArgumentException(what + " has no columns: the first file is empty");
    }
    List<String> features = DataSource.featureColumns(names, spec, what);
    List<String> others = new ArrayList<>();
    StructType schema = new StructType();
    for (StructField f : names.fields()) {
      boolean feature = features.contains(f.name());
      schema = schema.add(f.name(), feature ? DataTypes.DoubleType : DataTypes.StringType, true);
      if (!feature && !f.name().equals(spec.labelColumn())) {
        others.add(f.name());
      }
    }
    Dataset<Row> df = reader(spark, spec).schema(schema).option("mode", "FAILFAST").csv(spec.path());
    try {
      return Checks.numeric(df, spec.labelColumn(), features, others, what);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      if (malformed(e)) {
        throw diagnose(spark, spec, schema, features, e, what);
      }
      throw DataSource.<RuntimeException>rethrow(e);
    }
  }

  private static DataFrameReader reader(SparkSession spark, SourceSpec spec) {
    return spark.read().option("header", spec.header()).option("delimiter", spec.delimiter());
  }

  private static boolean malformed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t.getClass().getSimpleName().equals("BadRecordException") || m.contains("MALFORMED_RECORD_IN_PARSING")
          || m.contains("Malformed CSV record")) {
        return true;
      }
    }
    return false;
  }

  /** Finds the first malformed row and says what is wrong with it. */
  private static IllegalArgumentException diagnose(SparkSession spark, SourceSpec spec, StructType schema,
      List<String> features, Exception e, String what) {
    String sparkSays = DataSource.rootCause(e).getMessage();
    Dataset<Row> permissive = reader(spark, spec).schema(schema.add(CORRUPT, DataTypes.StringType))
        .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT).csv(spec.path());
    List<Column> cols = new ArrayList<>(List.of(functions.input_file_name(), permissive.col(CORRUPT)));
    for (String c : schema.fieldNames()) {
      cols.add(col(c));
    }
    List<Row> found = permissive.select(cols.toArray(Column[]::new)).where(permissive.col(CORRUPT).isNotNull())
        .limit(1).collectAsList();
    if (found.isEmpty()) {
      return new IllegalArgumentException(what + " has a malformed row: " + sparkSays, e);
    }
    String file = DataSource.fileName(found.get(0).getString(0));
    String text = found.get(0).getString(1);
    String at = "file " + file + lineOf(spark, file, text);
    Row tokens = spark.read().option("header", false).option("delimiter", spec.delimiter())
        .csv(spark.createDataset(List.of(text), Encoders.STRING())).first();
    if (tokens.size() != schema.size()) {
      return new IllegalArgumentException(what + ": " + at + " has " + tokens.size() + " field(s) but the "
          + (spec.header() ? "header" : "first line") + " has " + schema.size() + ": \"" + text + "\"; every "
          + "row needs one value per column", e);
    }
    boolean allText = true;
    for (int j = 0; j < tokens.size(); j++) {
      allText &= !tokens.isNullAt(j) && !isNumber(tokens.getString(j));
    }
    String hint = !spec.header() && allText && at.endsWith(", line 1") ? "; the first line looks like a header: set "
        + "header = true (--header)" : "";
    for (int j = 0; j < schema.size(); j++) {
      String name = schema.fields()[j].name();
      if (features.contains(name) && !tokens.isNullAt(j) && !isNumber(tokens.getString(j))) {
        return new IllegalArgumentException(what + ": " + at + ", column \"" + name + "\" is \""
            + tokens.getString(j) + "\", which is not a number; feature values must be numbers (row: \"" + text
            + "\")" + hint, e);
      }
    }
    return new IllegalArgumentException(what + ": " + at + " is malformed (" + sparkSays + "): \"" + text + "\"", e);
  }

  /** Spark's CSV parsing of a double: its NaN and infinity spellings, else {@code Double.parseDouble}. */
  private static boolean isNumber(String token) {
    if (token.equals("NaN") || token.equals("Inf") || token.equals("-Inf")) {
      return true;
    }
    try {
      Double.parseDouble(token);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * ", line N" for the first line of {@code file} equal to {@code text}, counting the lines before it in file
   * order (ids from {@code monotonically_increasing_id} grow with the split offset); empty if not found.
   */
  private static String lineOf(SparkSession spark, String file, String text) {
    Dataset<Row> lines = spark.read().text(file).withColumn("_id", functions.monotonically_increasing_id());
    Row first = lines.where(lines.col("value").equalTo(text)).agg(functions.min("_id")).first();
    if (first.isNullAt(0)) {
      return "";
    }
    return ", line " + (lines.where(lines.col("_id").lt(first.getLong(0))).count() + 1);
  }
}
