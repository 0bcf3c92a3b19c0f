package io.treeprop.jobs.config;

import io.treeprop.jobs.data.SourceSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code data} section: where the training, test and validation data are and how features are scaled.
 *
 * @param train the training data (labelled); required
 * @param test data to evaluate the trained model on; null for none
 * @param validation data to validate on after every epoch; null to hold out {@code validationFraction} of the
 *     training rows instead (or not to validate)
 * @param validationFraction share of the training rows held out for validation, in [0, 0.5]; must be 0 when
 *     {@code validation} is given
 * @param scaling the feature scaling, fitted on the training data
 * @param classNames names of the classes in label order (class {@code i} is the {@code i}-th label by value, e.g.
 *     label 6 of Fashion-MNIST is "Shirt"), shown in reports; null to show the labels themselves
 */
public record DataSection(SourceSpec train, SourceSpec test, SourceSpec validation, double validationFraction,
    ScalingSpec scaling, List<String> classNames) {
  public static final double DEFAULT_VALIDATION_FRACTION = 0;
  /** The largest share of the training rows that may be held out for validation. */
  public static final double MAX_VALIDATION_FRACTION = 0.5;
  public static final ScalingSpec DEFAULT_SCALING = new ScalingSpec.None();

  static final List<String> KEYS = List.of("train", "test", "validation", "validationFraction", "scaling",
      "classNames");
  static final List<String> SOURCE_KEYS = List.of("format", "path", "labelPath", "labelColumn", "featureColumns",
      "featuresColumn", "header", "delimiter", "numFeatures", "channels", "size");
  static final List<String> SCALING_KEYS = List.of("type", "factor");
  static final List<String> SCALING_TYPES = List.of("none", "factor", "standardize");

  public DataSection {
    if (train == null) {
      throw new IllegalArgumentException("missing required key data.train: the training data");
    }
    if (!(validationFraction >= 0 && validationFraction <= MAX_VALIDATION_FRACTION)) {
      throw new IllegalArgumentException("data.validationFraction (" + validationFraction + ") must be in [0, "
          + MAX_VALIDATION_FRACTION + "]: it is the share of the training rows held out, and more would validate on "
          + "more rows than it trains on; to validate on other data set data.validation");
    }
    if (validation != null && validationFraction > 0) {
      throw new IllegalArgumentException("data.validation and data.validationFraction (" + validationFraction
          + ") exclude each other; validate on a data set or on a share of the training rows, not both");
    }
    if (scaling == null) {
      scaling = DEFAULT_SCALING;
    }
    if (classNames != null) {
      if (classNames.isEmpty() || classNames.stream().anyMatch(n -> n == null || n.isBlank())) {
        throw new IllegalArgumentException("data.classNames " + classNames + " must list one non-blank name per "
            + "class, in label order");
      }
      if (new java.util.HashSet<>(classNames).size() != classNames.size()) {
        throw new IllegalArgumentException("data.classNames " + classNames + " names a class twice; each name "
            + "must be different");
      }
      classNames = List.copyOf(classNames);
    }
  }

  static DataSection read(Node data) {
    SourceSpec train = source(data.object("train", SOURCE_KEYS, "the training data, e.g. {format: csv, path: "
        + "train.csv, header: true, labelColumn: y}"));
    SourceSpec test = source(data.optObject("test", SOURCE_KEYS));
    SourceSpec validation = source(data.optObject("validation", SOURCE_KEYS));
    double fraction = data.optDouble("validationFraction", DEFAULT_VALIDATION_FRACTION);
    ScalingSpec scaling = scaling(data.optObject("scaling", SCALING_KEYS));
    List<String> classNames = data.optStringList("classNames");
    return data.build(() -> new DataSection(train, test, validation, fraction, scaling, classNames), "data");
  }

  /** The section as plain values, every default written out. */
  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("train", render(train));
    putIfSet(m, "test", test == null ? null : render(test));
    putIfSet(m, "validation", validation == null ? null : render(validation));
    m.put("validationFraction", validationFraction);
    if (scaling instanceof ScalingSpec.Factor f) {
      m.put("scaling", Map.of("factor", f.factor()));
    } else {
      m.put("scaling", scaling instanceof ScalingSpec.None ? "none" : "standardize");
    }
    putIfSet(m, "classNames", classNames);
    return m;
  }

  /**
   * Every source has labels: what a supervised job needs (an autoencoder's data need none).
   *
   * @throws IllegalArgumentException naming the first source without
   */
  void requireLabels() {
    labelled("data.train", train);
    labelled("data.test", test);
    labelled("data.validation", validation);
  }

  private static void labelled(String key, SourceSpec s) {
    if (s != null && !s.labeled()) {
      throw new IllegalArgumentException(key + " has no labels; set labelPath (idx) or labelColumn (csv, parquet)");
    }
  }

  private static SourceSpec source(Node n) {
    if (n == null) {
      return null;
    }
    String format = n.string("format", "one of " + String.join(", ", SourceSpec.FORMATS));
    String path = n.string("path", "the data file, directory or glob (a local or Hadoop path)");
    String labelPath = n.optString("labelPath");
    String labelColumn = n.optString("labelColumn");
    List<String> featureColumns = n.optStringList("featureColumns");
    String featuresColumn = n.optString("featuresColumn");
    boolean header = n.optBoolean("header", false);
    String delimiter = n.optString("delimiter");
    int numFeatures = n.optInt("numFeatures", 0);
    int channels = n.optInt("channels", 0);
    List<Integer> size = n.optIntList("size", "[height, width], e.g. [28, 28]");
    return n.build(() -> new SourceSpec(format, path, labelPath, labelColumn, featureColumns, featuresColumn, header,
        delimiter, numFeatures, channels, size, SourceSpec.IMAGES.equalsIgnoreCase(format)));
  }

  private static ScalingSpec scaling(Node n) {
    if (n == null) {
      return DEFAULT_SCALING;
    }
    String type = n.string("type", "none, standardize or {factor: <number>}");
    if (!SCALING_TYPES.contains(type)) {
      throw n.error("type", "\"" + type + "\" is not a scaling; use none, standardize or {factor: <number>}, "
          + "e.g. {factor: 0.00392156862745098} for 8-bit pixels");
    }
    if (!type.equals("factor")) {
      if (n.has("factor")) {
        throw n.error("factor", "applies only to factor scaling, not " + type);
      }
      return type.equals("none") ? new ScalingSpec.None() : new ScalingSpec.Standardize();
    }
    if (!n.has("factor")) {
      throw n.missing("factor", "the number every feature is multiplied by, e.g. 0.00392156862745098 (1/255)");
    }
    double factor = n.optDouble("factor", 0);
    return n.build(() -> new ScalingSpec.Factor(factor));
  }

  private static Map<String, Object> render(SourceSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", s.format());
    m.put("path", s.path());
    putIfSet(m, "labelPath", s.labelPath());
    putIfSet(m, "labelColumn", s.labelColumn());
    putIfSet(m, "featureColumns", s.featureColumns());
    putIfSet(m, "featuresColumn", s.featuresColumn());
    if (s.format().equals(SourceSpec.CSV)) {
      m.put("header", s.header());
      m.put("delimiter", s.delimiter());
    }
    if (s.format().equals(SourceSpec.LIBSVM)) {
      m.put("numFeatures", s.numFeatures());
    }
    if (s.format().equals(SourceSpec.IMAGES)) {
      m.put("channels", s.channels());
      putIfSet(m, "size", s.size());
    }
    return m;
  }

  static void putIfSet(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
