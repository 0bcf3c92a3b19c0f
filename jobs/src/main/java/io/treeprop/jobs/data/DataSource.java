package io.treeprop.jobs.data;

import static io.treeprop.jobs.data.SourceData.FEATURES;
import static io.treeprop.jobs.data.SourceData.LABEL;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a training, evaluation or scoring data set from any Hadoop path into a DataFrame with a vector column
 * {@code features} and (for labelled data) a column {@code label}: see {@link SourceSpec} for the formats and
 * {@link SourceData} for the result.
 *
 * <p>Everything is checked before this returns, so that a bad file fails here with our message rather than as a
 * wrapped task failure in whatever job first uses the data: the paths exist; the columns exist and have usable
 * types; and one Spark job reads every row (counting them), so that a ragged or non-numeric CSV row, a missing
 * (null) or NaN feature, a null label or vectors of different sizes are an {@link IllegalArgumentException} that
 * names the file, the row, the column, the value and the rule. IDX files are read whole on the driver (MNIST-size
 * data) and parallelized. Nothing is written anywhere.
 */
public final class DataSource {
  private DataSource() {}

  /**
   * Reads and checks a data set.
   *
   * @throws IllegalArgumentException for a missing path, a malformed file, a missing or mistyped column or a bad
   *     value, naming the thing, the value and the rule
   */
  public static SourceData read(SparkSession spark, SourceSpec spec) {
    return switch (spec.format()) {
      case SourceSpec.IDX -> IdxSource.read(spark, spec);
      case SourceSpec.CSV -> CsvSource.read(spark, spec);
      case SourceSpec.LIBSVM -> libsvm(spark, spec);
      case SourceSpec.IMAGES -> images(spark, spec);
      default -> parquet(spark, spec);
    };
  }

  /**
   * Regression targets: a string label column (CSV) turned into doubles; a numeric label is returned as it is.
   *
   * @throws IllegalArgumentException naming the first label that is not a number
   */
  public static SourceData numericLabels(SourceData data) {
    if (!data.labeled()) {
      throw new IllegalArgumentException(data.description() + " has no label column");
    }
    Dataset<Row> f = data.frame();
    if (f.schema().apply(LABEL).dataType() instanceof NumericType) {
      return data;
    }
    Column number = f.col(LABEL).cast(DataTypes.DoubleType);
    List<Row> bad = f.select(f.col(LABEL)).where(f.col(LABEL).isNotNull().and(number.isNull())).limit(1)
        .collectAsList();
    if (!bad.isEmpty()) {
      String where = Checks.example(f, f.col(LABEL).isNotNull().and(number.isNull()), null, List.of());
      throw new IllegalArgumentException(data.description() + ": the label \"" + bad.get(0).get(0) + "\" is not a "
          + "number" + (where.isEmpty() ? "" : " (" + where + ")") + "; regression targets must be numbers (for "
          + "class names use a classification loss)");
    }
    return data.withFrame(f.withColumn(LABEL, number));
  }

  /**
   * An image folder: the frame holds {@value SourceData#FEATURES} (and the class folder's name as
   * {@value SourceData#LABEL}); the input, which scores carry through, holds the file's {@value ImageFolders#PATH}
   * (and label), not the pixels.
   */
  private static SourceData images(SparkSession spark, SourceSpec spec) {
    int[] size = spec.size() == null ? null : new int[] {spec.size().get(0), spec.size().get(1)};
    ImageFolders.Images images = ImageFolders.read(spark, spec.path(), spec.channels(), size, spec.classFolders());
    Dataset<Row> f = images.frame();
    int[] s = images.shape();
    List<Column> frame = new ArrayList<>(List.of(f.col(FEATURES)));
    List<Column> input = new ArrayList<>(List.of(f.col(ImageFolders.PATH)));
    if (spec.classFolders()) {
      frame.add(f.col(LABEL));
      input.add(f.col(LABEL));
    }
    input.add(f.col(FEATURES).as(SourceData.HIDDEN_FEATURES));
    return new SourceData(f.select(frame.toArray(Column[]::new)), images.rows(), s[0] * s[1] * s[2],
        images.description(), null, f.select(input.toArray(Column[]::new)), SourceData.HIDDEN_FEATURES,
        io.treeprop.core.tensor.Shape.image(s[0], s[1], s[2]));
  }

  private static SourceData libsvm(SparkSession spark, SourceSpec spec) {
    String what = describe(spec);
    requireFiles(spark, spec.path(), what);
    try {
      DataFrameReader reader = spark.read().format("libsvm");
      if (spec.numFeatures() > 0) {
        reader = reader.option("numFeatures", spec.numFeatures());
      }
      Dataset<Row> df = reader.load(spec.path());
      return Checks.vectors(df.select(df.col(FEATURES), df.col(LABEL)), df, FEATURES, what);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      Throwable root = rootCause(e);
      if (!(root instanceof IllegalArgumentException)) {
        // a number that does not parse (NumberFormatException is one) or an index beyond numFeatures; else rethrow
        throw DataSource.<RuntimeException>rethrow(e);
      }
      throw new IllegalArgumentException(what + " cannot be read: " + root.getClass().getSimpleName() + ": "
          + root.getMessage() + "; each line must be \"label index:value ...\" with numeric values and 1-based, "
          + "ascending indices" + (spec.numFeatures() > 0 ? " no larger than numFeatures (" + spec.numFeatures()
          + ")" : ""), e);
    }
  }

  private static SourceData parquet(SparkSession spark, SourceSpec spec) {
    String what = describe(spec);
    requireFiles(spark, spec.path(), what);
    Dataset<Row> df;
    try {
      df = spark.read().parquet(spec.path());
    } catch (Exception e) {
      throw new IllegalArgumentException(what + " cannot be read as Parquet: " + firstLine(rootCause(e).getMessage())
          + "; is it another format? Say which (format = csv | libsvm | idx, or --format)", e);
    }
    StructType schema = df.schema();
    if (spec.featuresColumn() == null) {
      List<String> features = featureColumns(schema, spec, what);
      for (String c : features) {
        DataType t = schema.apply(c).dataType();
        if (!(t instanceof NumericType)) {
          throw new IllegalArgumentException(what + ": the feature column \"" + c + "\" has type "
              + t.simpleString() + "; features must be numeric (list the numeric columns in featureColumns, or "
              + "give a vector column as featuresColumn)");
        }
      }
      return Checks.numeric(df, spec.labelColumn(), features, List.of(), what);
    }
    Column vector = vectorColumn(schema, spec.featuresColumn(), what);
    List<Column> out = new ArrayList<>(List.of(vector.as(FEATURES)));
    if (spec.labelColumn() != null) {
      out.add(label(schema, spec.labelColumn(), what));
    }
    boolean isVector = schema.apply(spec.featuresColumn()).dataType().equals(SQLDataTypes.VectorType());
    Dataset<Row> input = isVector ? df : df.withColumn(SourceData.HIDDEN_FEATURES, vector);
    return Checks.vectors(df.select(out.toArray(Column[]::new)), input,
        isVector ? spec.featuresColumn() : SourceData.HIDDEN_FEATURES, what);
  }

  private static Column vectorColumn(StructType schema, String name, String what) {
    DataType t = field(schema, name, "features", what).dataType();
    if (t.equals(SQLDataTypes.VectorType())) {
      return col(name);
    }
    if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
      return org.apache.spark.ml.functions.array_to_vector(col(name).cast(DataTypes.createArrayType(
          DataTypes.DoubleType)));
    }
    throw new IllegalArgumentException(what + ": the features column \"" + name + "\" has type " + t.simpleString()
        + "; it must be a vector or an array of numbers");
  }

  /** The label column as {@value SourceData#LABEL}: numbers as doubles, strings as they are. */
  static Column label(StructType schema, String name, String what) {
    DataType t = field(schema, name, "label", what).dataType();
    if (t instanceof NumericType) {
      return col(name).cast(DataTypes.DoubleType).as(LABEL);
    }
    if (t.equals(DataTypes.StringType)) {
      return col(name).as(LABEL);
    }
    throw new IllegalArgumentException(what + ": the label column \"" + name + "\" has type " + t.simpleString()
        + "; labels must be numbers or strings");
  }

  /** The feature columns the spec names (or all but the label), each checked to exist. */
  static List<String> featureColumns(StructType schema, SourceSpec spec, String what) {
    if (spec.labelColumn() != null) {
      field(schema, spec.labelColumn(), "label", what);
    }
    List<String> features = spec.featureColumns();
    if (features == null) {
      features = new ArrayList<>(Arrays.asList(schema.fieldNames()));
      features.remove(spec.labelColumn());
      if (features.isEmpty()) {
        throw new IllegalArgumentException(what + " has no column besides the label \"" + spec.labelColumn()
            + "\"; the features are missing");
      }
    }
    for (String c : features) {
      field(schema, c, "feature", what);
    }
    return List.copyOf(features);
  }

  /** The field called {@code name} (exactly), or an error listing the columns there are. */
  static StructField field(StructType schema, String name, String role, String what) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(what + ": the " + role + " column \"" + name + "\" does not exist; the "
        + "columns are " + Arrays.toString(schema.fieldNames()));
  }

  /** A column by its exact name, even with dots or back-quotes in it. */
  static Column col(String name) {
    return functions.col("`" + name.replace("`", "``") + "`");
  }

  /** E.g. {@code csv data at file:/d/train.csv}: how errors and progress name a source. */
  public static String describeSpec(SourceSpec spec) {
    return describe(spec);
  }

  /** E.g. {@code csv data at file:/d/train.csv}. */
  static String describe(SourceSpec spec) {
    return spec.format() + " data at " + spec.path();
  }

  /**
   * Checks that a path (or glob) matches at least one file.
   *
   * @throws IllegalArgumentException "no such file" naming the path, or an unknown file-system scheme
   */
  static void requireFiles(SparkSession spark, String path, String what) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] found = fs.globStatus(p);
      if (found == null || found.length == 0) {
        throw new IllegalArgumentException("no such file: " + path + " (" + what + ")");
      }
    } catch (UnsupportedFileSystemException e) {
      throw new IllegalArgumentException(what + ": no Hadoop file system for the scheme of " + path + " ("
          + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path + " (" + what + ")", e);
    }
  }

  /** A file name as Spark reports it ({@code input_file_name}, URI-encoded) as a Hadoop path string. */
  static String fileName(String file) {
    try {
      return new Path(URI.create(file)).toString();
    } catch (IllegalArgumentException e) {
      return file;
    }
  }

  /** Throws {@code t} as it is, checked or not (Spark's Scala code throws the checked SparkException so). */
  @SuppressWarnings("unchecked")
  static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
    throw (T) t;
  }

  /** The first line of a message (Spark's often carry a stack trace after it). */
  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
