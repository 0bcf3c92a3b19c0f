package io.treeprop.jobs.data;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a data set is and how to read it: an immutable, validated description handed to {@link DataSource#read}.
 * Every path is a Hadoop path ({@code file:}, {@code hdfs:}, {@code s3a:}, or a plain local path); CSV, LIBSVM and
 * Parquet paths may be directories or globs.
 *
 * <p>Options that do not apply to the format are errors rather than being ignored, so that a misplaced option
 * in a job config is found, not silently dropped.
 *
 * @param format {@code idx}, {@code libsvm}, {@code csv}, {@code parquet} or {@code images} (case-insensitive,
 *     stored lower-case)
 * @param path the images file (idx), the root folder (images) or the data file, directory or glob (other formats)
 * @param labelPath idx only: the labels file; null for unlabelled images (scoring)
 * @param labelColumn csv and parquet: the label column; null for unlabelled data (scoring). Without a CSV header
 *     the columns are named like Spark names them: {@code _c0, _c1, ...}
 * @param featureColumns csv and parquet: numeric feature columns in order; null for all columns but the label
 * @param featuresColumn parquet only: a vector (or numeric array) column holding all features; excludes
 *     {@code featureColumns}
 * @param header csv only: whether the first line of each file names the columns
 * @param delimiter csv only: the field separator; null means {@link #DEFAULT_DELIMITER}
 * @param numFeatures libsvm only: the vector size; 0 infers it from the largest index in the data
 * @param channels images only: 1 (grey) or 3 (colour) to convert every image to, 0 to take the first image's
 * @param size images only: {@code [height, width]} to resize every image to; null to require one size
 * @param classFolders images only: whether the images sit in one folder per class (labelled: training,
 *     evaluation) or anywhere under the root (unlabelled: scoring)
 */
public record SourceSpec(String format, String path, String labelPath, String labelColumn,
    List<String> featureColumns, String featuresColumn, boolean header, String delimiter, int numFeatures,
    int channels, List<Integer> size, boolean classFolders) {
  public static final String IDX = "idx";
  public static final String LIBSVM = "libsvm";
  public static final String CSV = "csv";
  public static final String PARQUET = "parquet";
  /** A directory of PNG/JPEG/BMP/GIF images with one subfolder per class ({@link ImageFolders}). */
  public static final String IMAGES = "images";
  public static final List<String> FORMATS = List.of(IDX, LIBSVM, CSV, PARQUET, IMAGES);
  public static final String DEFAULT_DELIMITER = ",";

  public SourceSpec {
    if (format == null || !FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("data format \"" + format + "\" is not supported; use one of " + FORMATS);
    }
    format = format.toLowerCase(Locale.ROOT);
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(format + " data: the path is required");
    }
    notFor(format, "labelPath", labelPath != null, IDX);
    notFor(format, "labelColumn", labelColumn != null, CSV, PARQUET);
    notFor(format, "featureColumns", featureColumns != null, CSV, PARQUET);
    notFor(format, "featuresColumn", featuresColumn != null, PARQUET);
    notFor(format, "header", header, CSV);
    notFor(format, "delimiter", delimiter != null, CSV);
    notFor(format, "numFeatures", numFeatures != 0, LIBSVM);
    notFor(format, "channels", channels != 0, IMAGES);
    notFor(format, "size", size != null, IMAGES);
    notFor(format, "classFolders", classFolders, IMAGES);
    if (channels != 0 && channels != 1 && channels != 3) {
      throw new IllegalArgumentException("images data: channels (" + channels + ") must be 1 (grey), 3 (colour) "
          + "or 0 (as the first image)");
    }
    if (size != null) {
      if (size.size() != 2 || size.stream().anyMatch(n -> n == null || n < 1)) {
        throw new IllegalArgumentException("images data: size " + size + " must be [height, width], both positive");
      }
      size = List.copyOf(size);
    }
    if (labelPath != null && labelPath.isBlank()) {
      throw new IllegalArgumentException("idx data: labelPath is blank; give the labels file or leave it out");
    }
    if (labelColumn != null && labelColumn.isBlank()) {
      throw new IllegalArgumentException(format + " data: labelColumn is blank; name the label column or leave "
          + "it out for unlabelled data");
    }
    if (featureColumns != null) {
      checkFeatureColumns(format, featureColumns, labelColumn);
      featureColumns = List.copyOf(featureColumns);
    }
    if (featuresColumn != null && (featuresColumn.isBlank() || featureColumns != null)) {
      throw new IllegalArgumentException("parquet data: featuresColumn (\"" + featuresColumn + "\") must be a "
          + "column name, and it excludes featureColumns; give one or the other");
    }
    if (featuresColumn != null && featuresColumn.equals(labelColumn)) {
      throw new IllegalArgumentException("parquet data: \"" + featuresColumn + "\" cannot be both the label and "
          + "the features column");
    }
    if (format.equals(CSV)) {
      delimiter = delimiter == null ? DEFAULT_DELIMITER : delimiter;
      if (delimiter.isEmpty() || delimiter.contains("\n") || delimiter.contains("\r")) {
        throw new IllegalArgumentException("csv data: the delimiter must be one or more characters other than a "
            + "line break");
      }
    }
    if (numFeatures < 0) {
      throw new IllegalArgumentException("libsvm data: numFeatures is " + numFeatures + "; it must be positive, "
          + "or 0 to infer it from the data");
    }
  }

  /** The spec of the first formats, which have no image options. */
  public SourceSpec(String format, String path, String labelPath, String labelColumn, List<String> featureColumns,
      String featuresColumn, boolean header, String delimiter, int numFeatures) {
    this(format, path, labelPath, labelColumn, featureColumns, featuresColumn, header, delimiter, numFeatures, 0,
        null, IMAGES.equalsIgnoreCase(format));
  }

  /**
   * An image folder ({@link ImageFolders}).
   *
   * @param size {@code [height, width]}, or null
   * @param classFolders false to read unlabelled images anywhere under {@code root}
   */
  public static SourceSpec images(String root, int channels, List<Integer> size, boolean classFolders) {
    return new SourceSpec(IMAGES, root, null, null, null, null, false, null, 0, channels, size, classFolders);
  }

  /** IDX images and (optionally null) labels, e.g. Fashion-MNIST's {@code t10k-*-ubyte.gz}. */
  public static SourceSpec idx(String images, String labels) {
    return new SourceSpec(IDX, images, labels, null, null, null, false, null, 0);
  }

  /** LIBSVM text: {@code label index:value ...} with 1-based indices; {@code numFeatures} 0 infers the size. */
  public static SourceSpec libsvm(String path, int numFeatures) {
    return new SourceSpec(LIBSVM, path, null, null, null, null, false, null, numFeatures);
  }

  /** CSV with a label column and numeric feature columns (null: all others). */
  public static SourceSpec csv(String path, String labelColumn, List<String> featureColumns, boolean header,
      String delimiter) {
    return new SourceSpec(CSV, path, null, labelColumn, featureColumns, null, header, delimiter, 0);
  }

  /** Parquet with a label column and numeric feature columns (null: all others). */
  public static SourceSpec parquet(String path, String labelColumn, List<String> featureColumns) {
    return new SourceSpec(PARQUET, path, null, labelColumn, featureColumns, null, false, null, 0);
  }

  /** Parquet with a label column and one vector (or numeric array) column of features. */
  public static SourceSpec parquetVector(String path, String labelColumn, String featuresColumn) {
    return new SourceSpec(PARQUET, path, null, labelColumn, null, featuresColumn, false, null, 0);
  }

  /** Whether the source has labels (false for scoring inputs); LIBSVM always has them. */
  public boolean labeled() {
    return switch (format) {
      case IDX -> labelPath != null;
      case LIBSVM -> true;
      case IMAGES -> classFolders;
      default -> labelColumn != null;
    };
  }

  private static void notFor(String format, String option, boolean set, String... formats) {
    if (set && !List.of(formats).contains(format)) {
      throw new IllegalArgumentException(format + " data: option " + option + " applies only to "
          + String.join(" and ", formats) + " data; remove it");
    }
  }

  private static void checkFeatureColumns(String format, List<String> columns, String label) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException(format + " data: featureColumns is empty; list the feature columns, or "
          + "leave it out to use every column but the label");
    }
    Set<String> seen = new HashSet<>();
    for (String c : columns) {
      if (c == null || c.isBlank()) {
        throw new IllegalArgumentException(format + " data: featureColumns " + columns + " holds a blank name");
      }
      if (!seen.add(c)) {
        throw new IllegalArgumentException(format + " data: featureColumns lists \"" + c + "\" twice");
      }
      if (c.equals(label)) {
        throw new IllegalArgumentException(format + " data: \"" + c + "\" is the label column; it cannot also be "
            + "a feature");
      }
    }
  }

  /** The same options for another path (a file of a watched directory). */
  public SourceSpec withPath(String other) {
    return new SourceSpec(format, other, labelPath, labelColumn, featureColumns, featuresColumn, header, delimiter,
        numFeatures, channels, size, classFolders);
  }
}
